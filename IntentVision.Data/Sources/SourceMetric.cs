namespace IntentVision.Data.Sources;

/// <summary>A metric a source exposes, with the type its exposition declares (counter, gauge, histogram, summary, untyped).</summary>
public sealed record SourceMetric(string MetricKey, string MetricType, string? Help, DateTimeOffset UpdatedAt);

/// <summary>The last sample of a counter series (metric key and canonical dimensions), to derive its rate from the next one.</summary>
public sealed record CounterSample(string SeriesKey, double Value, long TimestampMs);
