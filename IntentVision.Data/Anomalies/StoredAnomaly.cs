namespace IntentVision.Data.Anomalies;

/// <summary>A detected anomaly. Severity is low, medium, high or critical; type is point, level_shift or trend_change.</summary>
public sealed record StoredAnomaly(
    long Id,
    string OrganizationId,
    long SeriesId,
    DateTimeOffset Timestamp,
    double Value,
    double? Expected,
    double Score,
    string Severity,
    string Type,
    string Context,
    DateTimeOffset DetectedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy);
