namespace IntentVision.Api.Jobs;

/// <summary>Configuration <c>IntentVision:Jobs:IdempotencyCleanup</c>.</summary>
public sealed class IdempotencyCleanupOptions : JobOptions
{
    public IdempotencyCleanupOptions() => Interval = TimeSpan.FromHours(1);
}
