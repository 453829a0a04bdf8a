using IntentVision.Api.Alerting;
using IntentVision.Api.Auth;
using IntentVision.Data.Alerts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Apis;

/// <summary>Alert rules: read with <c>metrics:read</c>, written with <c>alerts:write</c>.</summary>
public static class AlertRulesApi
{
    public static RouteGroupBuilder MapAlertRulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/alert-rules").WithTags("Alert rules");
        api.MapGet("/", ListRules).WithName("ListAlertRules").WithSummary("List alert rules").RequireAuthorization(Scopes.MetricsRead);
        api.MapGet("/{ruleId:long}", GetRule).WithName("GetAlertRule").WithSummary("Get one alert rule").RequireAuthorization(Scopes.MetricsRead);
        api.MapPost("/", CreateRule).WithName("CreateAlertRule").RequireAuthorization(Scopes.AlertsWrite)
            .WithSummary("Create an alert rule")
            .WithDescription("kind: threshold (operator, threshold, durationSeconds), anomaly (minimumSeverity, lookbackSeconds), forecast_breach (operator, threshold, horizonSeconds, useUpper95), rate_of_change (maxChangePerUnit, unitSeconds, lookbackSeconds), missing_data (maxSilenceSeconds); pendingSeconds for any. dimensionFilter selects the series of metricKey. channels: [{type: webhook, url, secret}] (secret 16+ chars, never returned). suppression: [{from, to}] or [{dailyStart: 'HH:mm', dailyEnd: 'HH:mm'}] (UTC).");
        api.MapPut("/{ruleId:long}", ReplaceRule).WithName("ReplaceAlertRule").WithSummary("Replace an alert rule").RequireAuthorization(Scopes.AlertsWrite);
        api.MapDelete("/{ruleId:long}", DeleteRule).WithName("DeleteAlertRule").WithSummary("Delete an alert rule and its alerts").RequireAuthorization(Scopes.AlertsWrite);
        return api;
    }

    public static async Task<Ok<List<AlertRuleResponse>>> ListRules(Tenant tenant, AlertRuleRepository rules, CancellationToken cancellationToken)
        => TypedResults.Ok((await rules.ListAsync(tenant.OrganizationId, cancellationToken)).Select(AlertRuleResponse.From).ToList());

    public static async Task<Results<Ok<AlertRuleResponse>, NotFound<ProblemDetails>>> GetRule(Tenant tenant, long ruleId, AlertRuleRepository rules, CancellationToken cancellationToken)
        => await rules.GetAsync(tenant.OrganizationId, ruleId, cancellationToken) is { } rule ? TypedResults.Ok(AlertRuleResponse.From(rule)) : Problems.NotFound("alert rule", ruleId);

    public static async Task<Results<Created<AlertRuleResponse>, ValidationProblem, Conflict<ProblemDetails>>> CreateRule(
        Tenant tenant, AlertRuleRequest request, AlertRuleRepository rules, IOptions<AlertingOptions> options, CancellationToken cancellationToken)
    {
        var (definition, errors) = AlertRuleValidator.Validate(request, options.Value.AllowLoopbackWebhooks);
        if (definition is null)
        {
            return errors.ToProblem();
        }

        var created = await rules.CreateAsync(tenant.OrganizationId, definition, cancellationToken);
        return created is null
            ? Problems.Conflict("The rule name is taken.", $"This organization has a rule named '{definition.Name}' already.")
            : TypedResults.Created($"/api/alert-rules/{created.Id}", AlertRuleResponse.From(created));
    }

    public static async Task<Results<Ok<AlertRuleResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ReplaceRule(
        Tenant tenant, long ruleId, AlertRuleRequest request, AlertRuleRepository rules, IOptions<AlertingOptions> options, CancellationToken cancellationToken)
    {
        var (definition, errors) = AlertRuleValidator.Validate(request, options.Value.AllowLoopbackWebhooks);
        if (definition is null)
        {
            return errors.ToProblem();
        }

        var (rule, nameTaken) = await rules.UpdateAsync(tenant.OrganizationId, ruleId, definition, cancellationToken);
        if (nameTaken)
        {
            return Problems.Conflict("The rule name is taken.", $"This organization has another rule named '{definition.Name}'.");
        }

        return rule is null ? Problems.NotFound("alert rule", ruleId) : TypedResults.Ok(AlertRuleResponse.From(rule));
    }

    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> DeleteRule(Tenant tenant, long ruleId, AlertRuleRepository rules, CancellationToken cancellationToken)
        => await rules.DeleteAsync(tenant.OrganizationId, ruleId, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("alert rule", ruleId);
}
