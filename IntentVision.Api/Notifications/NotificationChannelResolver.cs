using System.Globalization;
using IntentVision.Api.Alerting;
using IntentVision.Data.Alerts;

namespace IntentVision.Api.Notifications;

/// <summary>
/// Finds the channel a notification names (<c>rule:&lt;id&gt;:&lt;index&gt;</c> or <c>policy:&lt;id&gt;:&lt;index&gt;</c>) as it is
/// configured now, so a rotated secret or a fixed URL applies to retries too. Null when it no longer exists.
/// </summary>
public sealed class NotificationChannelResolver(AlertRuleRepository rules, NotificationPolicyRepository policies)
{
    public async Task<(NotificationChannel Channel, NotificationTiming Timing)?> ResolveAsync(string channelKey, CancellationToken cancellationToken)
    {
        var parts = channelKey.Split(':');
        if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return null;
        }

        (IReadOnlyList<NotificationChannel> Channels, NotificationSettings Settings)? found = parts[0] switch
        {
            "rule" when await rules.FindAsync(id, cancellationToken) is { } rule => ParsedAlertRule.From(rule) is var r ? (r.Channels, r.Notification) : null,
            "policy" when await policies.FindAsync(id, cancellationToken) is { } policy => ParsedPolicy.From(policy) is var p ? (p.Channels, p.Notification) : null,
            _ => null,
        };
        return found is { } f && index < f.Channels.Count ? (f.Channels[index], f.Settings.Resolve()) : null;
    }
}
