namespace IntentVision.Data.Anomalies;

/// <summary>An anomaly to store; <see cref="Context"/> is a JSON object.</summary>
public sealed record NewAnomaly(long SeriesId, DateTimeOffset Timestamp, double Value, double? Expected, double Score, string Severity, string Type, string Context);
