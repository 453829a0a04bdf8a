namespace IntentVision.Dashboard.Services;

/// <summary>A rule as created or replaced. Channels are sent only when the analyst entered one: an edit without them keeps none.</summary>
public sealed record AlertRuleRequest(
    string Name,
    string Kind,
    string MetricKey,
    Dictionary<string, string> DimensionFilter,
    AlertConditionDto Condition,
    List<NotificationChannelRequest>? Channels,
    List<SuppressionWindowDto>? Suppression,
    bool Enabled,
    Dictionary<string, string>? Labels = null,
    string? RunbookUrl = null,
    NoDataSettingsDto? NoData = null);
