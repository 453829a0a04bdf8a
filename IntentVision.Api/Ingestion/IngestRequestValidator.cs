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
        var priorErrors = errors.Any;
        string? lastValidMetric = null;
        Dictionary<string, string?>? lastSourceDimensions = null;
        Dictionary<string, string>? lastDimensions = null;
        points.Capacity = request.Points.Count;
        for (var i = 0; i < request.Points.Count; i++)
        {
            var point = request.Points[i];
            if (point is null)
            {
                errors.Add(At(collection, i), "is null");
                continue;
            }

            var before = errors.Count;
            var knownBad = priorErrors && errors.HasPrefix(At(collection, i) + ".");
            if (string.IsNullOrEmpty(point.Metric))
            {
                errors.Add($"{At(collection, i)}.metric", "is required");
            }
            else if (!string.Equals(point.Metric, lastValidMetric, StringComparison.Ordinal))
            {
                if (InputRules.MetricKey().IsMatch(point.Metric))
                {
                    lastValidMetric = point.Metric;
                }
                else
                {
                    errors.Add($"{At(collection, i)}.metric", "must start with a letter or '_' and contain only letters, digits and _ . : / - (at most 200 characters)");
                }
            }

            if (point.Timestamp is not { } timestamp)
            {
                errors.Add($"{At(collection, i)}.timestamp", "is required (ISO-8601 with an offset: Z or +hh:mm)");
            }
            else if (timestamp < InputRules.EarliestTimestamp || timestamp > latest)
            {
                errors.Add($"{At(collection, i)}.timestamp", $"is outside the accepted window {InputRules.EarliestTimestamp:yyyy-MM-dd} to {latest:yyyy-MM-ddTHH:mm}Z");
            }

            if (point.Value is not { } value)
            {
                errors.Add($"{At(collection, i)}.value", "is required");
            }
            else if (!double.IsFinite(value))
            {
                errors.Add($"{At(collection, i)}.value", "must be a finite number");
            }

            // Consecutive points usually carry equal dimensions: validated once, and handed on as one shared
            // (read-only) object, which lets storage build the canonical JSON once per object instead of per point.
            Dictionary<string, string>? dimensions;
            if (lastSourceDimensions is not null && SameEntries(point.Dimensions, lastSourceDimensions))
            {
                dimensions = lastDimensions;
            }
            else
            {
                var errorsBefore = errors.Count;
                dimensions = ValidateDimensions(point.Dimensions, i, collection, errors);
                if (errors.Count == errorsBefore && point.Dimensions is { Count: > 0 })
                {
                    (lastSourceDimensions, lastDimensions) = (point.Dimensions, dimensions);
                }
            }

            if (errors.Count == before && !knownBad)
            {
                points.Add(new MetricPoint(point.Metric!, point.Timestamp!.Value.ToUniversalTime(), point.Value!.Value, dimensions));
            }
        }

        return (points, errors);
    }

    private static string At(string collection, int i) => $"{collection}[{i}]";

    private static bool SameEntries(Dictionary<string, string?>? a, Dictionary<string, string?> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is null || a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<string, string>? ValidateDimensions(Dictionary<string, string?>? dimensions, int index, string collection, ValidationErrors errors)
    {
        if (dimensions is null || dimensions.Count == 0)
        {
            return null;
        }

        var at = At(collection, index);
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
