using IntentVision.Api.Jobs;

namespace IntentVision.Api.Sources;

/// <summary>Configuration <c>IntentVision:Jobs:Prometheus</c>: how often due sources are looked for (each source has its own interval).</summary>
public sealed class PrometheusScrapeOptions : JobOptions
{
    public PrometheusScrapeOptions() => Interval = TimeSpan.FromSeconds(5);

    public TimeSpan ScrapeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest exposition accepted from one scrape.</summary>
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;
}
