namespace IntentVision.Dashboard.Services;

/// <summary>
/// A detected anomaly. Severity is low, medium, high or critical. <see cref="Explanation"/> and
/// <see cref="Feedback"/> come from APIs with explainable detection; older APIs and older anomalies send neither.
/// </summary>
public sealed record AnomalyDto(
    long Id,
    string OrganizationId,
    long SeriesId,
    DateTimeOffset Timestamp,
    double Value,
    double? Expected,
    double Score,
    string Severity,
    string Type,
    string? Context,
    DateTimeOffset DetectedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    AnomalyExplanationDto? Explanation = null,
    AnomalyFeedbackDto? Feedback = null)
{
    public bool Acknowledged => AcknowledgedAt is not null;
}
