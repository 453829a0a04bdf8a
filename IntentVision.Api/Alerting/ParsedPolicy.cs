using System.Text.Json;
using IntentVision.Data.Alerts;

namespace IntentVision.Api.Alerting;

/// <summary>A stored notification policy with its JSON parts read back.</summary>
public sealed record ParsedPolicy(NotificationPolicy Policy, IReadOnlyList<LabelMatcher> Matchers, IReadOnlyList<NotificationChannel> Channels, NotificationSettings Notification)
{
    public static ParsedPolicy From(NotificationPolicy policy) => new(
        policy,
        JsonSerializer.Deserialize<List<LabelMatcher>>(policy.Matchers, ParsedAlertRule.Json) ?? [],
        JsonSerializer.Deserialize<List<NotificationChannel>>(policy.Channels, ParsedAlertRule.Json) ?? [],
        JsonSerializer.Deserialize<NotificationSettings>(policy.Notification, ParsedAlertRule.Json) ?? new NotificationSettings());
}
