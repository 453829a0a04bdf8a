namespace IntentVision.Dashboard.Services;

public sealed record AlertRuleDto(
    long Id,
    string Name,
    string Kind,
    string MetricKey,
    Dictionary<string, string> DimensionFilter,
    AlertConditionDto Condition,
    List<NotificationChannelDto> Channels,
    List<SuppressionWindowDto> Suppression,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Dictionary<string, string>? Labels = null,
    string? RunbookUrl = null,
    NoDataSettingsDto? NoData = null);
