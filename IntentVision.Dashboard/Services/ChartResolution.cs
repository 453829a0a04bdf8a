namespace IntentVision.Dashboard.Services;

/// <summary>A resolution the metrics explorer offers: downsampled to a point budget, a fixed bucket, or raw.</summary>
public sealed record ChartResolution(string Key, string Label, string? Step, int? MaxPoints, int RawLimit = 10_000)
{
    /// <summary>Enough points for a wide chart; more than the pixels only costs bytes and drawing time.</summary>
    public const int ChartBudget = 1_000;

    public static readonly ChartResolution Auto = new("auto", "Auto (server downsamples)", null, ChartBudget);

    public static readonly IReadOnlyList<ChartResolution> All =
    [
        Auto,
        new("1m", "1 minute average", "1m", null),
        new("5m", "5 minute average", "5m", null),
        new("1h", "1 hour average", "1h", null),
        new("1d", "1 day average", "1d", null),
        new("raw", "Raw (first 10,000 points)", null, null),
    ];

    public static ChartResolution Find(string? key) => All.FirstOrDefault(r => r.Key == key) ?? Auto;
}
