namespace IntentVision.Api.Alerting;

/// <summary>An alert rule as created or replaced. Kinds: threshold, anomaly, forecast_breach, rate_of_change, missing_data.</summary>
public sealed record AlertRuleRequest(
    string? Name,
    string? Kind,
    string? MetricKey,
    Dictionary<string, string>? DimensionFilter,
    AlertCondition? Condition,
    List<NotificationChannel>? Channels,
    List<SuppressionWindow>? Suppression,
    bool? Enabled);
