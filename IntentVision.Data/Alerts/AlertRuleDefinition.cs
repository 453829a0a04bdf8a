namespace IntentVision.Data.Alerts;

/// <summary>The writable part of an alert rule, already validated.</summary>
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
