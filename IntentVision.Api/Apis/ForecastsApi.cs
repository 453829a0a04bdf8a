using IntentVision.Analytics.Forecasting;
using IntentVision.Api.Auth;
using IntentVision.Api.Forecasting;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Forecasts;
using IntentVision.Data.Series;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>Forecasts (scope <c>metrics:read</c>: running one derives data, it changes no metric).</summary>
public static class ForecastsApi
{
    public static RouteGroupBuilder MapForecastsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/forecasts").WithTags("Forecasts").RequireAuthorization(Scopes.MetricsRead);
        api.MapPost("/", RunForecast).WithName("RunForecast")
            .WithSummary("Forecast a series now and store the result")
            .WithDescription($"horizon = steps ahead on the series' own resolution (1-{ForecastService.MaxHorizon}); method = auto (default) or one of: {string.Join(", ", SeriesForecaster.Methods)}. Fitted on the latest {ForecastService.MaxHistoryPoints} points; the answer carries 80% and 95% intervals, the model account and the duration. A series that has never been negative gets no negative forecast or band (they are cut at zero).");
        api.MapGet("/", ListForecasts).WithName("ListForecasts").WithSummary("List forecasts, newest first, optionally of one series");
        api.MapGet("/{forecastId:long}", GetForecast).WithName("GetForecast").WithSummary("Get one forecast with its points");
        return api;
    }

    public static async Task<Results<Created<StoredForecast>, ValidationProblem, NotFound<ProblemDetails>>> RunForecast(
        Tenant tenant, RunForecastRequest request, SeriesRepository series, ForecastService forecasts, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.SeriesId is null)
        {
            errors.Add("seriesId", "is required");
        }

        if (request.Horizon is not { } horizon || horizon < 1 || horizon > ForecastService.MaxHorizon)
        {
            errors.Add("horizon", $"is required: 1 to {ForecastService.MaxHorizon} steps");
        }

        var method = string.IsNullOrWhiteSpace(request.Method) ? "auto" : request.Method.Trim().ToLowerInvariant();
        if (!SeriesForecaster.Methods.Contains(method))
        {
            errors.Add("method", $"must be one of: {string.Join(", ", SeriesForecaster.Methods)}");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await series.GetAsync(tenant.OrganizationId, request.SeriesId!.Value, cancellationToken) is null)
        {
            return Problems.NotFound("series", request.SeriesId);
        }

        try
        {
            var forecast = await forecasts.RunAsync(tenant.OrganizationId, request.SeriesId.Value, request.Horizon!.Value, method, cancellationToken);
            return TypedResults.Created($"/api/forecasts/{forecast.Id}", forecast);
        }
        catch (ArgumentException e)
        {
            errors.Add("seriesId", e.Message);
            return errors.ToProblem("The series cannot be forecast as asked.");
        }
    }

    public static async Task<Results<Ok<IReadOnlyList<StoredForecast>>, ValidationProblem>> ListForecasts(Tenant tenant, long? seriesId, int? limit, ForecastRepository forecasts, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 500)
        {
            var errors = new ValidationErrors();
            errors.Add("limit", "must be between 1 and 500");
            return errors.ToProblem();
        }

        return TypedResults.Ok(await forecasts.ListAsync(tenant.OrganizationId, seriesId, limit ?? 50, cancellationToken));
    }

    public static async Task<Results<Ok<StoredForecast>, NotFound<ProblemDetails>>> GetForecast(Tenant tenant, long forecastId, ForecastRepository forecasts, CancellationToken cancellationToken)
        => await forecasts.GetAsync(tenant.OrganizationId, forecastId, cancellationToken) is { } found ? TypedResults.Ok(found) : Problems.NotFound("forecast", forecastId);
}

public sealed record RunForecastRequest(long? SeriesId, int? Horizon, string? Method);
