namespace IntentVision.Dashboard.Services;

/// <summary>One incident of a rule: pending, firing (or no_data), acknowledged, then resolved; silenced while a silence matches it.</summary>
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
    DateTimeOffset UpdatedAt,
    Dictionary<string, string>? Labels = null,
    string? AcknowledgedBy = null,
    string? ResolvedBy = null,
    long? SilencedBy = null);
