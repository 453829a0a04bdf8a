using IntentVision.Api.Ingestion;
using IntentVision.Data.Metrics;
using IntentVision.Data.Organizations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntentVision.Api.Apis;

public static class MetricsApi
{
    public static RouteGroupBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/organizations/{organizationId}/metrics").WithTags("Metrics");
        api.MapPost("/", IngestPoints)
            .WithName("IngestPoints")
            .WithSummary("Ingest a batch of points")
            .WithDescription($"Up to {InputRules.MaxPointsPerRequest} points. The batch is stored whole or not at all; a point for an existing series and timestamp replaces the value and counts as updated.");
        return api;
    }

    public static async Task<Results<Ok<IngestResponse>, ValidationProblem, NotFound>> IngestPoints(
        string organizationId,
        IngestRequest request,
        IngestRequestValidator validator,
        OrganizationRepository organizations,
        MetricRepository metrics,
        CancellationToken cancellationToken)
    {
        if (await organizations.GetAsync(organizationId, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var (points, errors) = validator.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem("The batch was rejected; nothing was written.");
        }

        var result = await metrics.IngestAsync(organizationId, points, "api", cancellationToken);
        return TypedResults.Ok(new IngestResponse(result.Accepted, result.Inserted, result.Updated, result.SeriesIds));
    }
}
