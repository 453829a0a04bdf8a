using System.Globalization;
using System.Xml;
using IntentVision.Api.Auth;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Metrics;
using IntentVision.Data.Series;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>Series and their points (scope <c>metrics:read</c>).</summary>
public static class SeriesApi
{
    public const int DefaultPointLimit = 10_000;
    public const int MaxPointLimit = 200_000;
    public const int MaxBuckets = 100_000;
    public const string DimensionQueryPrefix = "dim.";

    /// <summary>The longest bucket: ten years (3,660 days), beyond which no series has two buckets.</summary>
    public static readonly TimeSpan MaxStep = TimeSpan.FromDays(3660);

    public static RouteGroupBuilder MapSeriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/series").WithTags("Series").RequireAuthorization(Scopes.MetricsRead);
        api.MapGet("/", ListSeries).WithName("ListSeries")
            .WithSummary("List and search series")
            .WithDescription("metric = exact metric key; search = part of the metric key; dim.<key>=<value> (repeatable) = dimension filters, all of which must match; limit (1-1000, default 1000), offset.");
        api.MapGet("/{seriesId:long}", GetSeries).WithName("GetSeries").WithSummary("Get one series with its aggregates (point count, first and last timestamp, resolution)");
        api.MapGet("/{seriesId:long}/points", ReadPoints).WithName("ReadPoints")
            .WithSummary("Read the points of a series in [from, to): raw, bucketed or downsampled")
            .WithDescription("Raw by default (limit, default 10000). step (e.g. 60s, 5m, 1h, 1d or PT5M) with agg = avg|min|max|sum|count|last folds each bucket in SQL, buckets aligned to the Unix epoch. Without step, maxPoints keeps at most that many points for a chart: the lowest and highest point of each of maxPoints/2 buckets, so peaks survive.");
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<TimeSeries>>, ValidationProblem>> ListSeries(
        Tenant tenant, string? metric, string? search, int? limit, int? offset, HttpContext context, SeriesRepository series, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in context.Request.Query)
        {
            if (!name.StartsWith(DimensionQueryPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = name[DimensionQueryPrefix.Length..];
            if (!InputRules.DimensionKey().IsMatch(key))
            {
                errors.Add(name, "must name a dimension key: letters, digits and _ . -, starting with a letter or '_'");
            }
            else
            {
                dimensions[key] = values.ToString();
            }
        }

        if (limit is < 1 or > 1000)
        {
            errors.Add("limit", "must be between 1 and 1000");
        }

        if (offset is < 0)
        {
            errors.Add("offset", "must be 0 or more");
        }

        if (search is { Length: > 200 })
        {
            errors.Add("search", "must be at most 200 characters");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var filter = new SeriesFilter(
            string.IsNullOrWhiteSpace(metric) ? null : metric,
            string.IsNullOrWhiteSpace(search) ? null : search,
            dimensions,
            limit ?? 1000,
            offset ?? 0);
        return TypedResults.Ok(await series.SearchAsync(tenant.OrganizationId, filter, cancellationToken));
    }

    public static async Task<Results<Ok<TimeSeries>, NotFound<ProblemDetails>>> GetSeries(Tenant tenant, long seriesId, SeriesRepository series, CancellationToken cancellationToken)
        => await series.GetAsync(tenant.OrganizationId, seriesId, cancellationToken) is { } found ? TypedResults.Ok(found) : Problems.NotFound("series", seriesId);

    private static ValidationProblem TooManyBuckets(ValidationErrors errors)
    {
        errors.Add("step", $"gives more than {MaxBuckets} buckets for this range; choose a larger step or a shorter range");
        return errors.ToProblem();
    }

    public static async Task<Results<Ok<SeriesPoints>, NotFound<ProblemDetails>, ValidationProblem>> ReadPoints(
        Tenant tenant,
        long seriesId,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int? limit,
        string? step,
        string? agg,
        int? maxPoints,
        SeriesRepository series,
        SeriesReader metrics,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (from is { } f && to is { } t && f >= t)
        {
            errors.Add("to", "must be later than 'from'");
        }

        if (limit is < 1 or > MaxPointLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxPointLimit}");
        }

        TimeSpan? bucket = null;
        if (step is not null)
        {
            bucket = ParseStep(step);
            if (bucket is null || bucket < TimeSpan.FromSeconds(1) || bucket > MaxStep)
            {
                errors.Add("step", $"must be a duration from 1 second to {MaxStep.TotalDays} days: 30s, 5m, 1h, 1d, 2w or ISO-8601 (PT5M)");
            }
        }

        var aggregate = PointAggregate.Avg;
        if (agg is not null && (!Enum.TryParse(agg, ignoreCase: true, out aggregate) || !Enum.IsDefined(aggregate) || int.TryParse(agg, out _)))
        {
            errors.Add("agg", "must be one of: avg, min, max, sum, count, last");
        }
        else if (agg is not null && step is null)
        {
            errors.Add("agg", "needs a step");
        }

        if (maxPoints is < 2 or > MaxPointLimit)
        {
            errors.Add("maxPoints", $"must be between 2 and {MaxPointLimit}");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (bucket is { } window && from is { } rangeFrom && to is { } rangeTo)
        {
            // The dashboard's chart read names its range: the series check and the buckets go at the same time, one
            // round trip's wait instead of two on a server. The buckets of a series that is not the tenant's are dropped
            // unread, whatever they hold.
            if ((rangeTo - rangeFrom) / window > MaxBuckets)
            {
                return TooManyBuckets(errors);
            }

            var owner = series.GetAsync(tenant.OrganizationId, seriesId, cancellationToken);
            var folded = metrics.ReadBucketsAsync(seriesId, rangeFrom, rangeTo, window, aggregate, cancellationToken);
            try
            {
                await Task.WhenAll(owner, folded);
            }
            catch when (owner.IsCompletedSuccessfully && owner.Result is null)
            {
                // Another organization's series (or none): its buckets' failure is not the caller's business either.
            }

            return await owner is null
                ? Problems.NotFound("series", seriesId)
                : TypedResults.Ok(new SeriesPoints(seriesId, from, to, aggregate.ToString().ToLowerInvariant(), (long)window.TotalSeconds, await folded));
        }

        // Another organization's series is indistinguishable from a missing one.
        if (await series.GetAsync(tenant.OrganizationId, seriesId, cancellationToken) is not { } found)
        {
            return Problems.NotFound("series", seriesId);
        }

        var start = from ?? found.FirstTimestamp ?? DateTimeOffset.UnixEpoch;
        var end = to ?? found.LastTimestamp?.AddMilliseconds(1) ?? start.AddMilliseconds(1);
        if (bucket is { } size)
        {
            if ((end - start) / size > MaxBuckets)
            {
                return TooManyBuckets(errors);
            }

            var buckets = await metrics.ReadBucketsAsync(seriesId, start, end, size, aggregate, cancellationToken);
            return TypedResults.Ok(new SeriesPoints(seriesId, from, to, aggregate.ToString().ToLowerInvariant(), (long)size.TotalSeconds, buckets));
        }

        if (maxPoints is { } max && await metrics.CountAsync(seriesId, start, end, cancellationToken) > max)
        {
            var width = TimeSpan.FromMilliseconds(Math.Ceiling((end - start).TotalMilliseconds / Math.Max(1, max / 2)));
            var peaks = await metrics.ReadPeaksAsync(seriesId, start, end, width, cancellationToken);
            return TypedResults.Ok(new SeriesPoints(seriesId, from, to, "minmax", (long)width.TotalSeconds, peaks));
        }

        var points = await metrics.ReadPointsAsync(seriesId, start, end, limit ?? DefaultPointLimit, cancellationToken);
        return TypedResults.Ok(new SeriesPoints(seriesId, from, to, "raw", null, points));
    }

    internal static TimeSpan? ParseStep(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text[0] is 'P' or 'p')
        {
            try
            {
                return XmlConvert.ToTimeSpan(text.ToUpperInvariant());
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                return null;
            }
        }

        var unit = char.ToLowerInvariant(text[^1]);
        var numberText = char.IsAsciiLetter(unit) ? text[..^1] : text;
        if (!double.TryParse(numberText, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number) || number <= 0)
        {
            return null;
        }

        // In seconds first: a number of days or weeks can be beyond what a TimeSpan holds.
        var seconds = unit switch
        {
            's' or >= '0' and <= '9' => number,
            'm' => number * 60,
            'h' => number * 3600,
            'd' => number * 86_400,
            'w' => number * 604_800,
            _ => double.NaN,
        };
        return seconds <= MaxStep.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
    }
}

/// <summary>Points of a series. Mode is raw, one of the aggregates (then StepSeconds is the bucket) or minmax (downsampled).</summary>
public sealed record SeriesPoints(long SeriesId, DateTimeOffset? From, DateTimeOffset? To, string Mode, long? StepSeconds, IReadOnlyList<StoredPoint> Points);
