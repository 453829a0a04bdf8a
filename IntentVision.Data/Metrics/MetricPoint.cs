namespace IntentVision.Data.Metrics;

/// <summary>One observation to store: which metric, when (UTC), what value, and the dimensions naming the series.</summary>
public sealed record MetricPoint(string MetricKey, DateTimeOffset Timestamp, double Value, IReadOnlyDictionary<string, string>? Dimensions = null);
