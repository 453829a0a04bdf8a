using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using IntentVision.Data.Alerts;

namespace IntentVision.Api.Alerting;

/// <summary>
/// One alert as a notification describes it: state and event, the rule (with its runbook), the labels, the series
/// (metric and dimensions), the condition (operator, threshold and ISO 8601 durations), the values that triggered it,
/// its times and a link to it on the dashboard. Written into the outbox with the event, so the message tells what
/// was true when it happened.
/// </summary>
public static class AlertSnapshot
{
    public static string Build(ParsedAlertRule rule, Alert alert, string alertEvent, string? dashboardUrl)
    {
        var details = JsonNode.Parse(alert.Details) as JsonObject ?? [];
        var snapshot = new JsonObject
        {
            ["id"] = alert.Id,
            ["status"] = alert.State,
            ["event"] = alertEvent,
            ["rule"] = new JsonObject
            {
                ["id"] = rule.Rule.Id,
                ["name"] = rule.Rule.Name,
                ["kind"] = rule.Rule.Kind,
                ["runbookUrl"] = rule.Rule.RunbookUrl,
            },
            ["labels"] = ToObject(alert.Labels),
            ["series"] = details["series"]?.DeepClone(),
            ["condition"] = Condition(rule),
            ["trigger"] = details["trigger"]?.DeepClone(),
            ["message"] = alert.Message,
            ["startsAt"] = alert.StartedAt,
            ["firedAt"] = alert.FiredAt,
            ["endsAt"] = alert.ResolvedAt,
            ["acknowledgedAt"] = alert.AcknowledgedAt,
            ["acknowledgedBy"] = alert.AcknowledgedBy,
            ["resolvedBy"] = alert.ResolvedBy,
            ["dashboardUrl"] = string.IsNullOrEmpty(dashboardUrl) ? null : $"{dashboardUrl.TrimEnd('/')}/alerts/{alert.Id}",
        };
        return snapshot.ToJsonString(ParsedAlertRule.Json);
    }

    /// <summary>An ISO 8601 duration (<c>PT1M1.5S</c>), the form every duration in a notification takes.</summary>
    public static string Iso(TimeSpan span) => XmlConvert.ToString(span);

    private static JsonObject Condition(ParsedAlertRule rule)
    {
        var c = rule.Condition;
        var o = new JsonObject { ["kind"] = rule.Rule.Kind, ["metric"] = rule.Rule.MetricKey };
        void Add(string name, JsonNode? value)
        {
            if (value is not null)
            {
                o[name] = value;
            }
        }

        string? Seconds(double? s) => s is { } v ? Iso(TimeSpan.FromSeconds(v)) : null;
        Add("operator", c.Operator);
        Add("threshold", c.Threshold);
        Add("duration", Seconds(c.DurationSeconds));
        Add("minimumSeverity", c.MinimumSeverity);
        Add("lookback", Seconds(c.LookbackSeconds));
        Add("horizon", Seconds(c.HorizonSeconds));
        Add("useUpper95", c.UseUpper95);
        Add("maxChangePerUnit", c.MaxChangePerUnit);
        Add("unit", Seconds(c.UnitSeconds));
        Add("maxSilence", Seconds(c.MaxSilenceSeconds));
        Add("pending", Seconds(c.PendingSeconds));
        Add("keepFiringFor", Seconds(c.KeepFiringForSeconds));
        return o;
    }

    private static JsonObject ToObject(IReadOnlyDictionary<string, string> labels)
    {
        var o = new JsonObject();
        foreach (var (k, v) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            o[k] = v;
        }

        return o;
    }

    /// <summary>Reads a stored snapshot back for the message.</summary>
    public static JsonElement Parse(string snapshot) => JsonDocument.Parse(snapshot).RootElement.Clone();
}
