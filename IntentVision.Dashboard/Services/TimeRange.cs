namespace IntentVision.Dashboard.Services;

/// <summary>A time range the explorer offers, counted back from the series' latest point (data may have stopped arriving).</summary>
public sealed record TimeRange(string Key, string Label, TimeSpan? Length)
{
    public static readonly TimeRange All = new("all", "All data", null);

    public static readonly IReadOnlyList<TimeRange> Choices =
    [
        new("1h", "Last hour", TimeSpan.FromHours(1)),
        new("6h", "Last 6 hours", TimeSpan.FromHours(6)),
        new("24h", "Last 24 hours", TimeSpan.FromHours(24)),
        new("7d", "Last 7 days", TimeSpan.FromDays(7)),
        new("30d", "Last 30 days", TimeSpan.FromDays(30)),
        new("1y", "Last year", TimeSpan.FromDays(365)),
        All,
    ];

    public static TimeRange Find(string? key) => Choices.FirstOrDefault(r => r.Key == key) ?? All;
}
