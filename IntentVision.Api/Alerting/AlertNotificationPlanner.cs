using IntentVision.Data.Alerts;
using IntentVision.Data.Metrics;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Alerting;

/// <summary>
/// Decides which notifications an alert event makes: the rule's own channels, then the organization's policies whose
/// matchers accept the alert's labels (in order; the first match ends the search unless it says continue). Each
/// channel of each route gets one outbox row, keyed by its channel and by its group (the values of the route's
/// groupBy labels, or the alert itself when there are none).
/// </summary>
public sealed class AlertNotificationPlanner(IOptions<AlertingOptions> options)
{
    /// <remarks>An alert that is its own group (no groupBy) has nothing to batch: its changes go out at once; the group interval paces grouped routes.</remarks>
    public IReadOnlyList<NewNotification> Plan(ParsedAlertRule rule, IReadOnlyList<ParsedPolicy> policies, Alert alert, string alertEvent)
    {
        var snapshot = AlertSnapshot.Build(rule, alert, alertEvent, options.Value.DashboardUrl);
        var notifications = new List<NewNotification>();
        void Route(string prefix, IReadOnlyList<NotificationChannel> channels, NotificationSettings settings)
        {
            var timing = settings.Resolve();
            var (groupKey, groupLabels) = Group(alert, timing.GroupBy);
            for (var i = 0; i < channels.Count; i++)
            {
                notifications.Add(new NewNotification(
                    $"{prefix}:{i}", channels[i].Type ?? "webhook", ChannelTarget.Describe(channels[i]), groupKey, groupLabels, alertEvent, snapshot,
                    timing.GroupWait, timing.GroupBy.Count == 0 ? TimeSpan.Zero : timing.GroupInterval, options.Value.DeliveryDeadline));
            }
        }

        if (rule.Channels.Count > 0)
        {
            Route($"rule:{rule.Rule.Id}", rule.Channels, rule.Notification);
        }

        foreach (var policy in policies.Where(p => p.Policy.Enabled && LabelMatcher.All(p.Matchers, alert.Labels)))
        {
            Route($"policy:{policy.Policy.Id}", policy.Channels, policy.Notification);
            if (!policy.Policy.ContinueMatching)
            {
                break;
            }
        }

        return notifications;
    }

    private static (string Key, IReadOnlyDictionary<string, string> Labels) Group(Alert alert, IReadOnlyList<string> groupBy)
    {
        if (groupBy.Count == 0)
        {
            return ($"alert:{alert.RuleId}:{alert.DedupKey}", alert.Labels);
        }

        var labels = groupBy.Distinct().ToDictionary(l => l, l => alert.Labels.TryGetValue(l, out var v) ? v : string.Empty, StringComparer.Ordinal);
        return ("labels:" + CanonicalDimensions.Serialize(labels), labels);
    }
}
