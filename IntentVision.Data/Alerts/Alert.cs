using System.Text.Json.Serialization;

namespace IntentVision.Data.Alerts;

/// <summary>
/// One incident of a rule on a series: pending, firing (or no_data while the series is silent), optionally
/// acknowledged, then resolved. <see cref="StartedAt"/> is when the condition began; <see cref="Labels"/> the labels
/// routing and silences match on; <see cref="Details"/> (JSON: the series and the trigger) what triggered it, which the
/// API shows parsed on the alert's own page rather than as text in every listing.
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
    [property: JsonIgnore] string Details,
    string? AcknowledgedBy,
    string? ResolvedBy,
    DateTimeOffset? ClearSince,
    long? SilencedBy)
{
    [JsonIgnore]
    public bool IsOpen => State != AlertStates.Resolved;
}
