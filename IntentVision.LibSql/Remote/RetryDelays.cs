namespace IntentVision.LibSql.Remote;

/// <summary>Exponential backoff with jitter, so writers that collided do not collide again in lock step.</summary>
internal static class RetryDelays
{
    public static TimeSpan Next(int attempt, TimeSpan initial, TimeSpan max)
    {
        var baseMs = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(baseMs * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    public static async ValueTask WaitAsync(TimeSpan delay, bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            cancellationToken.WaitHandle.WaitOne(delay);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
