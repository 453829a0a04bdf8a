namespace IntentVision.Api.Alerting;

/// <summary>
/// An alert rule as created or replaced. Kinds: threshold, anomaly, forecast_breach, rate_of_change, missing_data.
/// <see cref="Labels"/> (severity, team, ...) travel on every alert of the rule and are what policies and silences match.
/// </summary>
public sealed record AlertRuleRequest(
    string? Name,
    string? Kind,
    string? MetricKey,
    Dictionary<string, string>? DimensionFilter,
    AlertCondition? Condition,
    List<NotificationChannel>? Channels,
    List<SuppressionWindow>? Suppression,
    bool? Enabled,
    Dictionary<string, string>? Labels = null,
    string? RunbookUrl = null,
    NoDataSettings? NoData = null,
    NotificationSettings? Notification = null);
