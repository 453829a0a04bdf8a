namespace IntentVision.Dashboard.Services;

/// <summary>One incident of a rule: pending, firing, acknowledged, then resolved.</summary>
public sealed record AlertDto(
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
