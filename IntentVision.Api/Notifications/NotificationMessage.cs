using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntentVision.Api.Alerting;
using IntentVision.Data.Alerts;

namespace IntentVision.Api.Notifications;

/// <summary>
/// One message for one group of one channel: the JSON payload every channel is built from (the webhook body as is),
/// and a title and text for people (Slack, email), from the channel's templates or the defaults.
/// </summary>
public sealed record NotificationMessage(string Payload, JsonElement Model, string Status)
{
    public const string DefaultTitle = "{{title}}";
    public const string DefaultText = "{{text}}";

    /// <summary>The message for <paramref name="notifications"/> (one group, claimed together): the latest event of each alert.</summary>
    public static NotificationMessage Build(IReadOnlyList<OutboxNotification> notifications, IReadOnlyDictionary<string, string> groupLabels, DateTimeOffset sentAt)
    {
        var alerts = notifications.GroupBy(n => n.AlertId).Select(g => JsonNode.Parse(g.OrderBy(n => n.Id).Last().Snapshot)!.AsObject()).ToList();
        var firing = alerts.Count(a => (string?)a["status"] != AlertStates.Resolved);
        var status = firing > 0 ? "firing" : "resolved";
        var groupLabelsNode = new JsonObject();
        foreach (var (k, v) in groupLabels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            groupLabelsNode[k] = v;
        }

        var ruleNames = alerts.Select(a => (string?)a["rule"]?["name"]).Where(n => n is not null).Distinct().ToList();
        var title = string.Create(CultureInfo.InvariantCulture, $"[{status.ToUpperInvariant()}:{(status == "firing" ? firing : alerts.Count)}] {string.Join(", ", ruleNames)}")
            + (groupLabels.Count > 0 ? $" ({string.Join(", ", groupLabels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))})" : string.Empty);
        var text = new StringBuilder();
        foreach (var a in alerts)
        {
            text.Append(CultureInfo.InvariantCulture, $"• [{((string?)a["status"])?.ToUpperInvariant()}] {(string?)a["message"]}");
            if ((string?)a["rule"]?["runbookUrl"] is { } runbook)
            {
                text.Append(CultureInfo.InvariantCulture, $" — runbook: {runbook}");
            }

            if ((string?)a["dashboardUrl"] is { } link)
            {
                text.Append(CultureInfo.InvariantCulture, $" — {link}");
            }

            text.Append('\n');
        }

        var payload = new JsonObject
        {
            ["version"] = "2",
            ["status"] = status,
            ["organization"] = notifications[0].OrganizationId,
            ["groupKey"] = notifications[0].GroupKey,
            ["groupLabels"] = groupLabelsNode,
            ["title"] = title,
            ["text"] = text.ToString().TrimEnd('\n'),
            ["alerts"] = new JsonArray([.. alerts]),
            ["sentAt"] = sentAt,
        };
        var json = payload.ToJsonString(ParsedAlertRule.Json);
        return new NotificationMessage(json, JsonDocument.Parse(json).RootElement.Clone(), status);
    }

    public string Title(NotificationChannel channel) => MessageTemplate.Render(channel.Title ?? DefaultTitle, Model);

    public string Text(NotificationChannel channel) => MessageTemplate.Render(channel.Text ?? DefaultText, Model);
}
