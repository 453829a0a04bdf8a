using IntentVision.Api.Auth;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Alerts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>Alerts raised by the evaluation loop: read with <c>metrics:read</c>, acknowledged with <c>alerts:write</c>.</summary>
public static class AlertsApi
{
    private static readonly string[] States = ["pending", "firing", "acknowledged", "resolved"];

    public static RouteGroupBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/alerts").WithTags("Alerts");
        api.MapGet("/", ListAlerts).WithName("ListAlerts").WithSummary("List alerts, most recently changed first (state, ruleId, limit)").RequireAuthorization(Scopes.MetricsRead);
        api.MapGet("/{alertId:long}", GetAlert).WithName("GetAlert").WithSummary("Get one alert with its notification deliveries").RequireAuthorization(Scopes.MetricsRead);
        api.MapPost("/{alertId:long}/acknowledge", AcknowledgeAlert).WithName("AcknowledgeAlert")
            .WithSummary("Acknowledge a firing alert: it stays open, without further notifications, until it resolves").RequireAuthorization(Scopes.AlertsWrite);
        api.MapPost("/{alertId:long}/resolve", ResolveAlert).WithName("ResolveAlert")
            .WithSummary("Resolve an open alert by hand; if its rule still breaches, the next evaluation opens a new one").RequireAuthorization(Scopes.AlertsWrite);
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<Alert>>, ValidationProblem>> ListAlerts(Tenant tenant, string? state, long? ruleId, int? limit, AlertRepository alerts, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (state is not null && !States.Contains(state))
        {
            errors.Add("state", $"must be one of: {string.Join(", ", States)}");
        }

        if (limit is < 1 or > 1000)
        {
            errors.Add("limit", "must be between 1 and 1000");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await alerts.ListAsync(tenant.OrganizationId, state, ruleId, limit ?? 200, cancellationToken));
    }

    public static async Task<Results<Ok<AlertDetails>, NotFound<ProblemDetails>>> GetAlert(Tenant tenant, long alertId, AlertRepository alerts, CancellationToken cancellationToken)
    {
        if (await alerts.GetAsync(tenant.OrganizationId, alertId, cancellationToken) is not { } alert)
        {
            return Problems.NotFound("alert", alertId);
        }

        return TypedResults.Ok(new AlertDetails(alert, await alerts.ListDeliveriesAsync(tenant.OrganizationId, alertId, cancellationToken)));
    }

    public static async Task<Results<Ok<Alert>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> AcknowledgeAlert(Tenant tenant, long alertId, AlertRepository alerts, CancellationToken cancellationToken)
    {
        if (await alerts.GetAsync(tenant.OrganizationId, alertId, cancellationToken) is not { } alert)
        {
            return Problems.NotFound("alert", alertId);
        }

        if (alert.State == "acknowledged")
        {
            return TypedResults.Ok(alert);
        }

        return await alerts.TransitionAsync(alertId, ["firing", "pending"], "acknowledged", null, null, cancellationToken) is { } acknowledged
            ? TypedResults.Ok(acknowledged)
            : Problems.Conflict("The alert cannot be acknowledged.", $"It is {alert.State}.");
    }

    public static async Task<Results<Ok<Alert>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ResolveAlert(Tenant tenant, long alertId, AlertRepository alerts, CancellationToken cancellationToken)
    {
        if (await alerts.GetAsync(tenant.OrganizationId, alertId, cancellationToken) is not { } alert)
        {
            return Problems.NotFound("alert", alertId);
        }

        if (alert.State == "resolved")
        {
            return TypedResults.Ok(alert);
        }

        return await alerts.TransitionAsync(alertId, ["pending", "firing", "acknowledged"], "resolved", "Resolved by hand.", null, cancellationToken) is { } resolved
            ? TypedResults.Ok(resolved)
            : Problems.Conflict("The alert cannot be resolved.", $"It is {alert.State}.");
    }
}

public sealed record AlertDetails(Alert Alert, IReadOnlyList<AlertDelivery> Deliveries);
