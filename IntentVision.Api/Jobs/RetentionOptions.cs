namespace IntentVision.Api.Jobs;

/// <summary>Configuration <c>IntentVision:Jobs:Retention</c>.</summary>
public sealed class RetentionOptions : JobOptions
{
    public RetentionOptions() => Interval = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Points deleted per write transaction: the longest an ingest waits behind the job is one such batch (a few
    /// milliseconds on the file, one round trip more on sqld).
    /// </summary>
    public int BatchSize { get; set; } = 5_000;
}
