namespace IntentVision.Api.Notifications;

/// <summary>
/// Held by the evaluation job while a pass writes alert changes. The dispatcher waits for it (briefly) before it
/// looks for due notifications, so the alerts one pass opens in one group go out in one message even with a
/// group wait of zero.
/// </summary>
public sealed class AlertEvaluationGate
{
    private readonly SemaphoreSlim _pass = new(1, 1);

    public async Task<IDisposable> EnterPassAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        return new Exit(_pass);
    }

    /// <summary>Waits until no pass is writing, for at most <paramref name="patience"/>.</summary>
    public async Task WaitForQuietAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        if (await _pass.WaitAsync(patience, cancellationToken))
        {
            _pass.Release();
        }
    }

    private sealed class Exit(SemaphoreSlim pass) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                pass.Release();
            }
        }
    }
}
