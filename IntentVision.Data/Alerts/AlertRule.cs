namespace IntentVision.Data.Alerts;

/// <summary>
/// An alert rule as stored. <see cref="Config"/>, <see cref="Channels"/>, <see cref="Suppression"/> and
/// <see cref="Notification"/> are JSON whose shape the API owns and validates; the repository keeps them as text.
/// </summary>
/// <param name="NoDataState">What a series that stopped reporting does to the rule: no_data, alerting, ok or keep_last.</param>
/// <param name="NoDataAfterSeconds">How long without a point counts as stopped; null: a default from the series' resolution.</param>
public sealed record AlertRule(
    long Id,
    string OrganizationId,
    string Name,
    string Kind,
    string MetricKey,
    IReadOnlyDictionary<string, string> DimensionFilter,
    string Config,
    string Channels,
    string Suppression,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? RunbookUrl = null,
    string NoDataState = "no_data",
    double? NoDataAfterSeconds = null,
    string Notification = "{}");
