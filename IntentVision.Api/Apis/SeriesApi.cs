using IntentVision.Api.Ingestion;
using IntentVision.Data.Metrics;
using IntentVision.Data.Series;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntentVision.Api.Apis;

public static class SeriesApi
{
    public const int DefaultPointLimit = 10_000;
    public const int MaxPointLimit = 200_000;

    public static RouteGroupBuilder MapSeriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/organizations/{organizationId}/series").WithTags("Series");
        api.MapGet("/", ListSeries).WithName("ListSeries").WithSummary("List the organization's series, optionally of one metric");
        api.MapGet("/{seriesId:long}", GetSeries).WithName("GetSeries").WithSummary("Get one series with its aggregates");
        api.MapGet("/{seriesId:long}/points", ReadPoints).WithName("ReadPoints").WithSummary("Read the points of a series in [from, to)");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<TimeSeries>>> ListSeries(string organizationId, string? metric, SeriesRepository series, CancellationToken cancellationToken)
        => TypedResults.Ok(await series.ListAsync(organizationId, string.IsNullOrWhiteSpace(metric) ? null : metric, cancellationToken));

    public static async Task<Results<Ok<TimeSeries>, NotFound>> GetSeries(string organizationId, long seriesId, SeriesRepository series, CancellationToken cancellationToken)
        => await series.GetAsync(organizationId, seriesId, cancellationToken) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    public static async Task<Results<Ok<SeriesPoints>, NotFound, ValidationProblem>> ReadPoints(
        string organizationId,
        long seriesId,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int? limit,
        SeriesRepository series,
        MetricRepository metrics,
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

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // Another organization's series is indistinguishable from a missing one.
        if (await series.GetAsync(organizationId, seriesId, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var start = from ?? DateTimeOffset.UnixEpoch;
        var end = to ?? DateTimeOffset.MaxValue.AddDays(-1);
        var points = await metrics.ReadPointsAsync(seriesId, start, end, limit ?? DefaultPointLimit, cancellationToken);
        return TypedResults.Ok(new SeriesPoints(seriesId, from, to, points));
    }
}

public sealed record SeriesPoints(long SeriesId, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<StoredPoint> Points);
