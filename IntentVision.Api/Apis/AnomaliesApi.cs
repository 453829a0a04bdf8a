using IntentVision.Api.Alerting;
using IntentVision.Api.Auth;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Anomalies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>Detected anomalies: read with <c>metrics:read</c>, acknowledged with <c>alerts:write</c>.</summary>
public static class AnomaliesApi
{
    public static RouteGroupBuilder MapAnomaliesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/anomalies").WithTags("Anomalies");
        api.MapGet("/", ListAnomalies).WithName("ListAnomalies").RequireAuthorization(Scopes.MetricsRead)
            .WithSummary("List anomalies, newest first")
            .WithDescription("Filters: seriesId; severity = one or more of low, medium, high, critical (comma-separated); from/to on the anomaly's timestamp; acknowledged = true|false; limit (1-5000, default 500).");
        api.MapGet("/{anomalyId:long}", GetAnomaly).WithName("GetAnomaly").WithSummary("Get one anomaly").RequireAuthorization(Scopes.MetricsRead);
        api.MapPost("/{anomalyId:long}/acknowledge", AcknowledgeAnomaly).WithName("AcknowledgeAnomaly").WithSummary("Acknowledge an anomaly").RequireAuthorization(Scopes.AlertsWrite);
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<StoredAnomaly>>, ValidationProblem>> ListAnomalies(
        Tenant tenant, long? seriesId, string? severity, DateTimeOffset? from, DateTimeOffset? to, bool? acknowledged, int? limit, AnomalyRepository anomalies, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var severities = severity?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToList() ?? [];
        if (severities.Any(s => !AlertRuleValidator.Severities.Contains(s)))
        {
            errors.Add("severity", $"must be one or more of: {string.Join(", ", AlertRuleValidator.Severities)}");
        }

        if (from is { } f && to is { } t && f >= t)
        {
            errors.Add("to", "must be later than 'from'");
        }

        if (limit is < 1 or > 5000)
        {
            errors.Add("limit", "must be between 1 and 5000");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await anomalies.ListAsync(tenant.OrganizationId, new AnomalyFilter(seriesId, severities, from, to, acknowledged, limit ?? 500), cancellationToken));
    }

    public static async Task<Results<Ok<StoredAnomaly>, NotFound<ProblemDetails>>> GetAnomaly(Tenant tenant, long anomalyId, AnomalyRepository anomalies, CancellationToken cancellationToken)
        => await anomalies.GetAsync(tenant.OrganizationId, anomalyId, cancellationToken) is { } found ? TypedResults.Ok(found) : Problems.NotFound("anomaly", anomalyId);

    public static async Task<Results<Ok<StoredAnomaly>, NotFound<ProblemDetails>>> AcknowledgeAnomaly(Tenant tenant, long anomalyId, AnomalyRepository anomalies, CancellationToken cancellationToken)
        => await anomalies.AcknowledgeAsync(tenant.OrganizationId, anomalyId, tenant.KeyId, cancellationToken) is { } found ? TypedResults.Ok(found) : Problems.NotFound("anomaly", anomalyId);
}
