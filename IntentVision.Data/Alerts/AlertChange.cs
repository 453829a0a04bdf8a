namespace IntentVision.Data.Alerts;

/// <summary>
/// A change of an alert's state, written with its notifications in one transaction by
/// <see cref="AlertRepository.WriteChangeWithNotificationsAsync"/>. <see cref="AlertId"/> null opens a new alert
/// (nothing is written when one is open already for the rule and key); otherwise the alert moves to
/// <see cref="State"/> only from one of <see cref="FromStates"/>.
/// </summary>
public sealed record AlertChange(
    long? AlertId,
    string OrganizationId,
    long RuleId,
    long? SeriesId,
    string DedupKey,
    IReadOnlyList<string> FromStates,
    string State,
    string? Message,
    double? Value,
    IReadOnlyDictionary<string, string>? Labels,
    string? Details,
    DateTimeOffset StartedAt,
    string? Actor = null);
