using System.Globalization;
using System.Text.Json;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Alerts;

namespace IntentVision.Api.Alerting;

/// <summary>Checks a rule request field by field (per kind) and turns it into what the repository stores.</summary>
public static class AlertRuleValidator
{
    public static readonly IReadOnlyList<string> Kinds = ["threshold", "anomaly", "forecast_breach", "rate_of_change", "missing_data"];
    public static readonly IReadOnlyList<string> Operators = ["above", "above_or_equal", "below", "below_or_equal"];
    public static readonly IReadOnlyList<string> Severities = ["low", "medium", "high", "critical"];

    private static readonly TimeSpan MaxSpan = TimeSpan.FromDays(366);

    public static readonly IReadOnlyList<string> NoDataStates = ["no_data", "alerting", "ok", "keep_last"];

    /// <summary>Labels a rule may carry, and how long a label value may be.</summary>
    public const int MaxLabels = 20;

    public static (AlertRuleDefinition? Definition, ValidationErrors Errors) Validate(AlertRuleRequest? request, Egress.EgressPolicy egress, bool emailConfigured = false)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("$", "a JSON object is required");
            return (null, errors);
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add("name", "is required");
        }
        else if (request.Name.Length > 200)
        {
            errors.Add("name", "must be at most 200 characters");
        }

        if (request.Kind is null || !Kinds.Contains(request.Kind))
        {
            errors.Add("kind", $"must be one of: {string.Join(", ", Kinds)}");
        }

        if (string.IsNullOrEmpty(request.MetricKey) || !InputRules.MetricKey().IsMatch(request.MetricKey))
        {
            errors.Add("metricKey", "is required: a metric key (letters, digits and _ . : / -, starting with a letter or '_')");
        }

        var filter = request.DimensionFilter ?? [];
        if (filter.Count > InputRules.MaxDimensions)
        {
            errors.Add("dimensionFilter", $"may name at most {InputRules.MaxDimensions} dimensions");
        }

        foreach (var (key, value) in filter)
        {
            if (!InputRules.DimensionKey().IsMatch(key) || value is null || value.Length > InputRules.MaxDimensionValueLength)
            {
                errors.Add($"dimensionFilter.{Shorten(key)}", "needs a valid dimension key and a string value of at most 256 characters");
            }
        }

        var c = request.Condition ?? new AlertCondition();
        if (request.Condition is null)
        {
            errors.Add("condition", "is required");
        }
        else
        {
            ValidateCondition(request.Kind, c, errors);
        }

        var channels = request.Channels ?? [];
        ChannelValidator.Validate(channels, "channels", errors, egress, emailConfigured);
        NotificationSettingsValidator.Validate(request.Notification, "notification", errors);
        ValidateLabels(request.Labels, errors);
        if (request.RunbookUrl is not null
            && (request.RunbookUrl.Length > 2000 || !Uri.TryCreate(request.RunbookUrl, UriKind.Absolute, out var runbook) || (runbook.Scheme != Uri.UriSchemeHttp && runbook.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add("runbookUrl", "must be an absolute http(s) URL of at most 2000 characters");
        }

        var noData = request.NoData ?? new NoDataSettings();
        if (noData.State is not null && !NoDataStates.Contains(noData.State))
        {
            errors.Add("noData.state", $"must be one of: {string.Join(", ", NoDataStates)}");
        }

        if (noData.AfterSeconds is { } after && (!double.IsFinite(after) || after < 1 || after > MaxSpan.TotalSeconds))
        {
            errors.Add("noData.afterSeconds", $"must be 1 to {MaxSpan.TotalSeconds} seconds");
        }

        var suppression = request.Suppression ?? [];
        for (var i = 0; i < suppression.Count; i++)
        {
            var w = suppression[i];
            var absolute = w.From is not null || w.To is not null;
            var daily = w.DailyStart is not null || w.DailyEnd is not null;
            if (absolute == daily)
            {
                errors.Add($"suppression[{i}]", "must be either {from, to} or {dailyStart, dailyEnd}");
            }
            else if (absolute && (w.From is null || w.To is null || w.From >= w.To))
            {
                errors.Add($"suppression[{i}]", "needs 'from' earlier than 'to'");
            }
            else if (daily && (!TimeOnly.TryParseExact(w.DailyStart, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                                || !TimeOnly.TryParseExact(w.DailyEnd, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
            {
                errors.Add($"suppression[{i}]", "dailyStart and dailyEnd must be HH:mm (UTC)");
            }
        }

        if (errors.Any)
        {
            return (null, errors);
        }

        return (new AlertRuleDefinition(
            request.Name!.Trim(),
            request.Kind!,
            request.MetricKey!,
            filter,
            JsonSerializer.Serialize(c, ParsedAlertRule.Json),
            JsonSerializer.Serialize(channels, ParsedAlertRule.Json),
            JsonSerializer.Serialize(suppression, ParsedAlertRule.Json),
            request.Enabled ?? true,
            request.Labels ?? [],
            request.RunbookUrl,
            noData.State ?? "no_data",
            noData.AfterSeconds,
            JsonSerializer.Serialize(request.Notification ?? new NotificationSettings(), ParsedAlertRule.Json)), errors);
    }

    private static void ValidateCondition(string? kind, AlertCondition c, ValidationErrors errors)
    {
        void RequireOperatorAndThreshold()
        {
            if (c.Operator is null || !Operators.Contains(c.Operator))
            {
                errors.Add("condition.operator", $"must be one of: {string.Join(", ", Operators)}");
            }

            if (c.Threshold is not { } t || !double.IsFinite(t))
            {
                errors.Add("condition.threshold", "is required: a finite number");
            }
        }

        void RequireSeconds(string name, double? value, bool required, bool allowZero = false)
        {
            if (value is null)
            {
                if (required)
                {
                    errors.Add($"condition.{name}", "is required (seconds)");
                }

                return;
            }

            // Compared as a number first: TimeSpan.FromSeconds(1e30) would throw.
            if (!double.IsFinite(value.Value) || value < 0 || (!allowZero && value == 0) || value > MaxSpan.TotalSeconds)
            {
                errors.Add($"condition.{name}", $"must be {(allowZero ? "0" : "more than 0")} to {MaxSpan.TotalSeconds} seconds");
            }
        }

        RequireSeconds("pendingSeconds", c.PendingSeconds, required: false, allowZero: true);
        RequireSeconds("keepFiringForSeconds", c.KeepFiringForSeconds, required: false, allowZero: true);
        switch (kind)
        {
            case "threshold":
                RequireOperatorAndThreshold();
                RequireSeconds("durationSeconds", c.DurationSeconds, required: false, allowZero: true);
                break;
            case "anomaly":
                if (c.MinimumSeverity is null || !Severities.Contains(c.MinimumSeverity))
                {
                    errors.Add("condition.minimumSeverity", $"must be one of: {string.Join(", ", Severities)}");
                }

                RequireSeconds("lookbackSeconds", c.LookbackSeconds, required: true);
                break;
            case "forecast_breach":
                RequireOperatorAndThreshold();
                RequireSeconds("horizonSeconds", c.HorizonSeconds, required: true);
                break;
            case "rate_of_change":
                if (c.MaxChangePerUnit is not { } max || !double.IsFinite(max) || max < 0)
                {
                    errors.Add("condition.maxChangePerUnit", "is required: a number of at least 0");
                }

                RequireSeconds("unitSeconds", c.UnitSeconds, required: true);
                RequireSeconds("lookbackSeconds", c.LookbackSeconds, required: true);
                break;
            case "missing_data":
                RequireSeconds("maxSilenceSeconds", c.MaxSilenceSeconds, required: true);
                break;
        }
    }

    private static void ValidateLabels(Dictionary<string, string>? labels, ValidationErrors errors)
    {
        if (labels is null)
        {
            return;
        }

        if (labels.Count > MaxLabels)
        {
            errors.Add("labels", $"may hold at most {MaxLabels} labels");
        }

        foreach (var (key, value) in labels)
        {
            if (!InputRules.DimensionKey().IsMatch(key) || value is null || value.Length > InputRules.MaxDimensionValueLength)
            {
                errors.Add($"labels.{Shorten(key)}", "needs a valid label name and a string value of at most 256 characters");
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40];
}
