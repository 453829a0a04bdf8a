namespace IntentVision.Data.Anomalies;

/// <summary>
/// A detected anomaly. Severity is low, medium, high or critical; type is point, level_shift or trend_change.
/// <see cref="Explanation"/> is null for anomalies stored before explanations were; <see cref="Feedback"/> is the
/// analyst's verdict, if any.
/// </summary>
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
    string? AcknowledgedBy,
    StoredExplanation? Explanation = null,
    AnomalyFeedback? Feedback = null);
