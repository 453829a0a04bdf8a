using IntentVision.Data.Metrics;

namespace IntentVision.Api.Ingestion;

/// <summary>Checks every point of a batch and names each bad one by index and field; converts the good ones.</summary>
public sealed class IngestRequestValidator(TimeProvider timeProvider)
{
    /// <param name="collection">How errors name the list: <c>points</c> for JSON, <c>rows</c> for CSV.</param>
    /// <param name="errors">Errors found before (e.g. unparseable CSV cells); points with one are skipped.</param>
    public (IReadOnlyList<MetricPoint> Points, ValidationErrors Errors) Validate(IngestRequest? request, string collection = "points", ValidationErrors? errors = null)
    {
        errors ??= new ValidationErrors();
        var points = new List<MetricPoint>();
        if (request?.Points is null)
        {
            errors.Add(collection, "is required: an array of {metric, timestamp, value, dimensions}");
            return (points, errors);
        }

        if (request.Points.Count == 0)
        {
            errors.Add(collection, "must contain at least one point");
        }
        else if (request.Points.Count > InputRules.MaxPointsPerRequest)
        {
            errors.Add(collection, $"has {request.Points.Count} points; at most {InputRules.MaxPointsPerRequest} are accepted per request");
            return (points, errors);
        }

        var latest = timeProvider.GetUtcNow() + InputRules.FutureTolerance;
        for (var i = 0; i < request.Points.Count; i++)
        {
            var point = request.Points[i];
            var at = $"{collection}[{i}]";
            if (point is null)
            {
                errors.Add(at, "is null");
                continue;
            }

            var before = errors.Count;
            var knownBad = errors.HasPrefix(at + ".");
            if (string.IsNullOrEmpty(point.Metric))
            {
                errors.Add($"{at}.metric", "is required");
            }
            else if (!InputRules.MetricKey().IsMatch(point.Metric))
            {
                errors.Add($"{at}.metric", "must start with a letter or '_' and contain only letters, digits and _ . : / - (at most 200 characters)");
            }

            if (point.Timestamp is not { } timestamp)
            {
                errors.Add($"{at}.timestamp", "is required (ISO-8601, UTC or with an offset)");
            }
            else if (timestamp < InputRules.EarliestTimestamp || timestamp > latest)
            {
                errors.Add($"{at}.timestamp", $"is outside the accepted window {InputRules.EarliestTimestamp:yyyy-MM-dd} to {latest:yyyy-MM-ddTHH:mm}Z");
            }

            if (point.Value is not { } value)
            {
                errors.Add($"{at}.value", "is required");
            }
            else if (!double.IsFinite(value))
            {
                errors.Add($"{at}.value", "must be a finite number");
            }

            var dimensions = ValidateDimensions(point.Dimensions, at, errors);
            if (errors.Count == before && !knownBad)
            {
                points.Add(new MetricPoint(point.Metric!, point.Timestamp!.Value.ToUniversalTime(), point.Value!.Value, dimensions));
            }
        }

        return (points, errors);
    }

    private static Dictionary<string, string>? ValidateDimensions(Dictionary<string, string?>? dimensions, string at, ValidationErrors errors)
    {
        if (dimensions is null || dimensions.Count == 0)
        {
            return null;
        }

        if (dimensions.Count > InputRules.MaxDimensions)
        {
            errors.Add($"{at}.dimensions", $"has {dimensions.Count} entries; at most {InputRules.MaxDimensions} are allowed");
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in dimensions)
        {
            if (!InputRules.DimensionKey().IsMatch(key))
            {
                errors.Add($"{at}.dimensions", $"key '{Shorten(key)}' must start with a letter or '_' and contain only letters, digits and _ . - (at most 64 characters)");
            }
            else if (value is null)
            {
                errors.Add($"{at}.dimensions.{key}", "must be a string, not null");
            }
            else if (value.Length > InputRules.MaxDimensionValueLength)
            {
                errors.Add($"{at}.dimensions.{key}", $"must be at most {InputRules.MaxDimensionValueLength} characters");
            }
            else
            {
                result[key] = value;
            }
        }

        return result;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
