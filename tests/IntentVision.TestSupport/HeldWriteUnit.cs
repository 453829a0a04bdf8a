using IntentVision.Data.Writing;

namespace IntentVision.TestSupport;

/// <summary>
/// A unit that holds the <see cref="DatabaseWriter"/> until released: the units queued meanwhile form the next group
/// together, so a test knows what one group holds.
/// </summary>
public sealed class HeldWriteUnit : IWriteUnit<int>
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Weight => 1;

    public async Task<int> WriteAsync(WriteScope scope, CancellationToken cancellationToken)
    {
        Started.SetResult();
        await Release.Task.WaitAsync(cancellationToken);
        return 0;
    }
}
