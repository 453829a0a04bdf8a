namespace IntentVision.Analytics.Series;

/// <summary>One observation of a metric. Timestamps arrive as data: the library never reads a clock.</summary>
public readonly record struct TimedValue(DateTimeOffset Timestamp, double Value);
