namespace IntentVision.Data.Alerts;

/// <summary>One incident of a rule on a series: pending, firing, acknowledged, then resolved.</summary>
public sealed record Alert(
    long Id,
    string OrganizationId,
    long RuleId,
    long? SeriesId,
    string State,
    string DedupKey,
    string Message,
    double? Value,
    DateTimeOffset StartedAt,
    DateTimeOffset? FiredAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset UpdatedAt);
