namespace IntentVision.Dashboard.Services;

/// <summary>A detected anomaly. Severity is low, medium, high or critical.</summary>
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
    string? AcknowledgedBy)
{
    public bool Acknowledged => AcknowledgedAt is not null;
}
