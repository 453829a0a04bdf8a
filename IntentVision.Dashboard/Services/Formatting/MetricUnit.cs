namespace IntentVision.Dashboard.Services.Formatting;

/// <summary>
/// The unit a metric's values are in, read from the naming conventions of Prometheus and OpenTelemetry
/// (<c>web.latency_ms</c>, <c>http_request_duration_seconds</c>, <c>disk_used_bytes</c>, <c>cpu_percent</c>).
/// Unknown units stay plain numbers; the dashboard never guesses from the values.
/// </summary>
public sealed record MetricUnit(string Name, UnitKind Kind)
{
    public static readonly MetricUnit None = new(string.Empty, UnitKind.Number);
    public static readonly MetricUnit Milliseconds = new("ms", UnitKind.Duration);
    public static readonly MetricUnit Seconds = new("s", UnitKind.Duration);
    public static readonly MetricUnit Bytes = new("B", UnitKind.Bytes);
    public static readonly MetricUnit Percent = new("%", UnitKind.Percent);

    private static readonly (string Suffix, MetricUnit Unit)[] Suffixes =
    [
        ("milliseconds", Milliseconds), ("millis", Milliseconds), ("ms", Milliseconds),
        ("seconds", Seconds), ("secs", Seconds), ("sec", Seconds), ("s", Seconds),
        ("bytes", Bytes),
        ("percent", Percent), ("pct", Percent),
    ];

    /// <summary>The unit named by the last word of a metric key (after the last '.', '_' or '-'), or <see cref="None"/>.</summary>
    public static MetricUnit FromMetricKey(string? metricKey)
    {
        if (string.IsNullOrEmpty(metricKey))
        {
            return None;
        }

        var cut = metricKey.LastIndexOfAny(['.', '_', '-']);
        if (cut < 0)
        {
            return None;
        }

        var last = metricKey[(cut + 1)..];
        foreach (var (suffix, unit) in Suffixes)
        {
            if (string.Equals(last, suffix, StringComparison.OrdinalIgnoreCase))
            {
                return unit;
            }
        }

        return None;
    }

    /// <summary>Values a series in this unit can take: durations, sizes and percentages are never negative.</summary>
    public bool NeverNegative => Kind is UnitKind.Duration or UnitKind.Bytes or UnitKind.Percent;
}

public enum UnitKind
{
    Number,
    Duration,
    Bytes,
    Percent,
}
