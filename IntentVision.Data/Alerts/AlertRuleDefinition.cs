namespace IntentVision.Data.Alerts;

/// <summary>The writable part of an alert rule, already validated.</summary>
/// <param name="NoDataState">What a series that stopped reporting does to the rule: no_data, alerting, ok or keep_last.</param>
/// <param name="NoDataAfterSeconds">How long without a point counts as stopped; null: a default from the series' resolution.</param>
public sealed record AlertRuleDefinition(
    string Name,
    string Kind,
    string MetricKey,
    IReadOnlyDictionary<string, string> DimensionFilter,
    string Config,
    string Channels,
    string Suppression,
    bool Enabled,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? RunbookUrl = null,
    string NoDataState = "no_data",
    double? NoDataAfterSeconds = null,
    string Notification = "{}");
