using System.Text.Json;
using IntentVision.Data.Alerts;

namespace IntentVision.Api.Alerting;

public sealed record AlertRuleResponse(
    long Id,
    string Name,
    string Kind,
    string MetricKey,
    IReadOnlyDictionary<string, string> DimensionFilter,
    AlertCondition Condition,
    IReadOnlyList<NotificationChannelView> Channels,
    IReadOnlyList<SuppressionWindow> Suppression,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string> Labels,
    string? RunbookUrl,
    NoDataSettings NoData,
    NotificationSettings Notification)
{
    public static AlertRuleResponse From(AlertRule rule)
    {
        var parsed = ParsedAlertRule.From(rule);
        return new AlertRuleResponse(
            rule.Id,
            rule.Name,
            rule.Kind,
            rule.MetricKey,
            rule.DimensionFilter,
            parsed.Condition,
            parsed.Channels.Select(NotificationChannelView.From).ToList(),
            parsed.Suppression,
            rule.Enabled,
            rule.CreatedAt,
            rule.UpdatedAt,
            rule.Labels ?? new Dictionary<string, string>(),
            rule.RunbookUrl,
            new NoDataSettings(rule.NoDataState, rule.NoDataAfterSeconds),
            parsed.Notification);
    }
}

/// <summary>A stored rule with its JSON parts read back.</summary>
public sealed record ParsedAlertRule(
    AlertRule Rule,
    AlertCondition Condition,
    IReadOnlyList<NotificationChannel> Channels,
    IReadOnlyList<SuppressionWindow> Suppression,
    NotificationSettings Notification)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static ParsedAlertRule From(AlertRule rule) => new(
        rule,
        JsonSerializer.Deserialize<AlertCondition>(rule.Config, Json) ?? new AlertCondition(),
        JsonSerializer.Deserialize<List<NotificationChannel>>(rule.Channels, Json) ?? [],
        JsonSerializer.Deserialize<List<SuppressionWindow>>(rule.Suppression, Json) ?? [],
        JsonSerializer.Deserialize<NotificationSettings>(rule.Notification, Json) ?? new NotificationSettings());
}
