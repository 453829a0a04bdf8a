using System.Globalization;
using System.Text.RegularExpressions;
using IntentVision.Dashboard.Services;

namespace IntentVision.Dashboard.Components.Pages;

/// <summary>
/// The rule editor's fields. It checks what it can before sending (the same rules the API applies), and names
/// each problem with the API's field key so the API's own answer lands next to the same field.
/// </summary>
public sealed partial class AlertRuleForm
{
    public static readonly IReadOnlyList<string> Kinds = ["threshold", "anomaly", "forecast_breach", "rate_of_change", "missing_data"];
    public static readonly IReadOnlyList<string> Operators = ["above", "above_or_equal", "below", "below_or_equal"];
    public static readonly IReadOnlyList<string> Severities = ["low", "medium", "high", "critical"];

    /// <summary>The API's keys this form shows next to a field.</summary>
    public static readonly IReadOnlyCollection<string> Fields =
    [
        "name", "kind", "metricKey", "dimensionFilter", "condition", "condition.operator", "condition.threshold", "condition.durationSeconds",
        "condition.minimumSeverity", "condition.lookbackSeconds", "condition.horizonSeconds", "condition.maxChangePerUnit",
        "condition.unitSeconds", "condition.maxSilenceSeconds", "condition.pendingSeconds", "channels[0].url", "channels[0].secret",
        .. ExtraFields,
    ];

    public long? Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public string Kind { get; set; } = "threshold";

    public string MetricKey { get; set; } = string.Empty;

    public string DimensionFilter { get; set; } = string.Empty;

    public string Operator { get; set; } = "above";

    public string Threshold { get; set; } = string.Empty;

    public string DurationSeconds { get; set; } = string.Empty;

    public string MinimumSeverity { get; set; } = "high";

    public string LookbackSeconds { get; set; } = "3600";

    public string HorizonSeconds { get; set; } = "3600";

    public bool UseUpper95 { get; set; }

    public string MaxChangePerUnit { get; set; } = string.Empty;

    public string UnitSeconds { get; set; } = "60";

    public string MaxSilenceSeconds { get; set; } = "600";

    public string PendingSeconds { get; set; } = string.Empty;

    public string WebhookUrl { get; set; } = string.Empty;

    public string WebhookSecret { get; set; } = string.Empty;

    public bool Enabled { get; set; } = true;

    public bool UsesOperator => Kind is "threshold" or "forecast_breach";

    public static AlertRuleForm From(AlertRuleDto rule) => new AlertRuleForm
    {
        Id = rule.Id,
        Name = rule.Name,
        Kind = rule.Kind,
        MetricKey = rule.MetricKey,
        DimensionFilter = string.Join(", ", rule.DimensionFilter.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}")),
        Operator = rule.Condition.Operator ?? "above",
        Threshold = Text(rule.Condition.Threshold),
        DurationSeconds = Text(rule.Condition.DurationSeconds),
        MinimumSeverity = rule.Condition.MinimumSeverity ?? "high",
        LookbackSeconds = Text(rule.Condition.LookbackSeconds),
        HorizonSeconds = Text(rule.Condition.HorizonSeconds),
        UseUpper95 = rule.Condition.UseUpper95 ?? false,
        MaxChangePerUnit = Text(rule.Condition.MaxChangePerUnit),
        UnitSeconds = Text(rule.Condition.UnitSeconds),
        MaxSilenceSeconds = Text(rule.Condition.MaxSilenceSeconds),
        PendingSeconds = Text(rule.Condition.PendingSeconds),
        WebhookUrl = rule.Channels.FirstOrDefault()?.Url ?? string.Empty,
        Enabled = rule.Enabled,
    }.WithExtrasOf(rule);

    /// <summary>Problems found before sending, by the API's field keys; empty when the form may be sent.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string field, string message) => errors[field] = [message];

        if (string.IsNullOrWhiteSpace(Name))
        {
            Add("name", "Enter a name.");
        }
        else if (Name.Length > 200)
        {
            Add("name", "Use at most 200 characters.");
        }

        if (!Kinds.Contains(Kind))
        {
            Add("kind", "Choose a kind.");
        }

        if (string.IsNullOrWhiteSpace(MetricKey))
        {
            Add("metricKey", "Enter the metric key the rule watches.");
        }
        else if (!MetricKeyPattern().IsMatch(MetricKey.Trim()))
        {
            Add("metricKey", "Use letters, digits and _ . : / -, starting with a letter or '_'.");
        }

        if (ParseDimensions(DimensionFilter) is null)
        {
            Add("dimensionFilter", "Write key=value pairs separated by commas.");
        }

        void Seconds(string field, string text, bool required, bool allowZero)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                if (required)
                {
                    Add(field, "Enter a number of seconds.");
                }

                return;
            }

            if (Number(text) is not { } value || value < 0 || (!allowZero && value == 0) || value > 366 * 86_400)
            {
                Add(field, allowZero ? "Enter 0 or more seconds (at most a year)." : "Enter more than 0 seconds (at most a year).");
            }
        }

        if (UsesOperator)
        {
            if (string.IsNullOrWhiteSpace(Threshold))
            {
                Add("condition.threshold", "Enter a threshold.");
            }
            else if (Number(Threshold) is null)
            {
                Add("condition.threshold", "Enter a number.");
            }
        }

        switch (Kind)
        {
            case "threshold":
                Seconds("condition.durationSeconds", DurationSeconds, required: false, allowZero: true);
                break;
            case "anomaly":
                Seconds("condition.lookbackSeconds", LookbackSeconds, required: true, allowZero: false);
                break;
            case "forecast_breach":
                Seconds("condition.horizonSeconds", HorizonSeconds, required: true, allowZero: false);
                break;
            case "rate_of_change":
                if (Number(MaxChangePerUnit) is not { } max || max < 0)
                {
                    Add("condition.maxChangePerUnit", "Enter a change of 0 or more.");
                }

                Seconds("condition.unitSeconds", UnitSeconds, required: true, allowZero: false);
                Seconds("condition.lookbackSeconds", LookbackSeconds, required: true, allowZero: false);
                break;
            case "missing_data":
                Seconds("condition.maxSilenceSeconds", MaxSilenceSeconds, required: true, allowZero: false);
                break;
        }

        Seconds("condition.pendingSeconds", PendingSeconds, required: false, allowZero: true);
        ValidateExtras(Add);

        var hasUrl = !string.IsNullOrWhiteSpace(WebhookUrl);
        if (hasUrl && (!Uri.TryCreate(WebhookUrl.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            Add("channels[0].url", "Enter an absolute http(s) URL.");
        }

        if (hasUrl && WebhookSecret.Length is < 16 or > 200)
        {
            Add("channels[0].secret", Id is null || WebhookSecret.Length > 0
                ? "Enter a signing secret of 16 to 200 characters."
                : "Enter the signing secret again (16 to 200 characters): the API never returns it.");
        }

        return errors;
    }

    public AlertRuleRequest ToRequest()
    {
        var condition = Kind switch
        {
            "threshold" => new AlertConditionDto(Operator: Operator, Threshold: Number(Threshold), DurationSeconds: Number(DurationSeconds)),
            "anomaly" => new AlertConditionDto(MinimumSeverity: MinimumSeverity, LookbackSeconds: Number(LookbackSeconds)),
            "forecast_breach" => new AlertConditionDto(Operator: Operator, Threshold: Number(Threshold), HorizonSeconds: Number(HorizonSeconds), UseUpper95: UseUpper95),
            "rate_of_change" => new AlertConditionDto(MaxChangePerUnit: Number(MaxChangePerUnit), UnitSeconds: Number(UnitSeconds), LookbackSeconds: Number(LookbackSeconds)),
            "missing_data" => new AlertConditionDto(MaxSilenceSeconds: Number(MaxSilenceSeconds)),
            _ => new AlertConditionDto(),
        };
        condition = condition with { PendingSeconds = Number(PendingSeconds) };
        List<NotificationChannelRequest>? channels = string.IsNullOrWhiteSpace(WebhookUrl) ? null : [new("webhook", WebhookUrl.Trim(), WebhookSecret)];
        return WithExtras(new AlertRuleRequest(Name.Trim(), Kind, MetricKey.Trim(), ParseDimensions(DimensionFilter) ?? [], condition, channels, null, Enabled));
    }

    internal static Dictionary<string, string>? ParseDimensions(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].Length == 0)
            {
                return null;
            }

            result[pair[0]] = pair[1];
        }

        return result;
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static string Text(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.:/\-]{0,199}$")]
    private static partial Regex MetricKeyPattern();
}
