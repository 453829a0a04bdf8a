namespace IntentVision.Data.Writing;

/// <summary>A unit of work written as a function: what most repositories hand the writer.</summary>
internal sealed class DelegateWriteUnit<TResult>(int weight, Func<WriteScope, CancellationToken, Task<TResult>> write) : IWriteUnit<TResult>
{
    public int Weight => weight;

    public Task<TResult> WriteAsync(WriteScope scope, CancellationToken cancellationToken) => write(scope, cancellationToken);
}
