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

    public static (AlertRuleDefinition? Definition, ValidationErrors Errors) Validate(AlertRuleRequest? request, bool allowPrivateWebhooks)
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
        for (var i = 0; i < channels.Count; i++)
        {
            var channel = channels[i];
            if (channel.Type != "webhook")
            {
                errors.Add($"channels[{i}].type", "must be 'webhook'");
            }

            if (!Uri.TryCreate(channel.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"channels[{i}].url", "must be an absolute http(s) URL");
            }
            else if (!allowPrivateWebhooks && url.IsLoopback)
            {
                errors.Add($"channels[{i}].url", "must not point at this host");
            }

            if (channel.Secret is null || channel.Secret.Length is < 16 or > 200)
            {
                errors.Add($"channels[{i}].secret", "is required: 16 to 200 characters, used to sign each delivery with HMAC-SHA256");
            }
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
            request.Enabled ?? true), errors);
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

            if (!double.IsFinite(value.Value) || value < 0 || (!allowZero && value == 0) || value > MaxSpan.TotalSeconds)
            {
                errors.Add($"condition.{name}", $"must be {(allowZero ? "0" : "more than 0")} to {MaxSpan.TotalSeconds} seconds");
            }
        }

        RequireSeconds("pendingSeconds", c.PendingSeconds, required: false, allowZero: true);
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

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40];
}
