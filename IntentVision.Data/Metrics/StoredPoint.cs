namespace IntentVision.Data.Metrics;

/// <summary>A point as read back from a series.</summary>
public sealed record StoredPoint(DateTimeOffset Timestamp, double Value);
