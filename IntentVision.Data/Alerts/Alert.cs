namespace IntentVision.Data.Alerts;

/// <summary>
/// One incident of a rule on a series: pending, firing (or no_data while the series is silent), optionally
/// acknowledged, then resolved. <see cref="StartedAt"/> is when the condition began; <see cref="Labels"/> the labels
/// routing and silences match on; <see cref="Details"/> (JSON) what triggered it.
/// </summary>
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
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string> Labels,
    string Details,
    string? AcknowledgedBy,
    string? ResolvedBy,
    DateTimeOffset? ClearSince,
    long? SilencedBy)
{
    public bool IsOpen => State != AlertStates.Resolved;
}
