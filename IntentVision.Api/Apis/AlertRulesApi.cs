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
    private const string AlertRuleDescription = """
        kind: threshold (operator, threshold, durationSeconds), anomaly (minimumSeverity, lookbackSeconds), forecast_breach (operator, threshold,
        horizonSeconds, useUpper95; re-forecast before the horizon runs out, resolved only when forecast and actual values both stay within),
        rate_of_change (maxChangePerUnit, unitSeconds, lookbackSeconds), missing_data (maxSilenceSeconds); for any kind pendingSeconds (how long a
        breach lasts before it fires) and keepFiringForSeconds (how long the condition stays clear before a firing alert resolves: flap damping).
        Every duration is bounded (at most 366 days).
        dimensionFilter selects the series of metricKey. labels: {severity, team, ...} on every alert, matched by notification policies and silences;
        runbookUrl: linked in every notification. noData: {state: no_data|alerting|ok|keep_last, afterSeconds} for threshold and rate_of_change
        rules whose series stops reporting (default no_data after max(300 s, 3 x the series' resolution, durationSeconds)).
        channels (at most 10): {type: webhook, url, secret} (secret 16+ chars, never returned), {type: slack, url} (a Slack-compatible incoming webhook),
        {type: email, to: [addresses]}; optional title and text templates over the payload ({{status}}, {{groupLabels.service}}, {{#alerts}}{{message}}{{/alerts}}).
        notification: {groupBy: [labels], groupWaitSeconds (default 0), groupIntervalSeconds (300), repeatIntervalSeconds (14400)}.
        Webhook deliveries are POSTs of the JSON payload {version, status, organization, groupKey, groupLabels, title, text, alerts: [{id, status,
        event, rule {id, name, kind, runbookUrl}, labels, series {id, metric, dimensions}, condition {operator, threshold, duration (ISO 8601), ...},
        trigger {value, since, predictedAt, lastSeen, reason}, message, startsAt, firedAt, endsAt, acknowledgedAt, acknowledgedBy, dashboardUrl}], sentAt}
        with the headers X-IntentVision-Event (firing or resolved), X-IntentVision-Timestamp (Unix seconds) and
        X-IntentVision-Signature: sha256=<lowercase hex HMAC-SHA256(secret, "<X-IntentVision-Timestamp>.<body>")>. Receivers should reject a
        timestamp more than 5 minutes old. A 2xx answer is a delivery; 408, 429, 5xx and network failures are retried with exponential backoff
        and jitter until the delivery deadline (24 h by default), across restarts.
        suppression: [{from, to}] or [{dailyStart: 'HH:mm', dailyEnd: 'HH:mm'}] (UTC).
        """;

    public static RouteGroupBuilder MapAlertRulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/alert-rules").WithTags("Alert rules");
        api.MapGet("/", ListRules).WithName("ListAlertRules").WithSummary("List alert rules").RequireAuthorization(Scopes.MetricsRead);
        api.MapGet("/{ruleId:long}", GetRule).WithName("GetAlertRule").WithSummary("Get one alert rule").RequireAuthorization(Scopes.MetricsRead);
        api.MapPost("/", CreateRule).WithName("CreateAlertRule").RequireAuthorization(Scopes.AlertsWrite)
            .WithSummary("Create an alert rule")
            .WithDescription(AlertRuleDescription);
        api.MapPut("/{ruleId:long}", ReplaceRule).WithName("ReplaceAlertRule").WithSummary("Replace an alert rule").RequireAuthorization(Scopes.AlertsWrite);
        api.MapDelete("/{ruleId:long}", DeleteRule).WithName("DeleteAlertRule").WithSummary("Delete an alert rule and its alerts").RequireAuthorization(Scopes.AlertsWrite);
        return api;
    }

    public static async Task<Ok<List<AlertRuleResponse>>> ListRules(Tenant tenant, AlertRuleRepository rules, CancellationToken cancellationToken)
        => TypedResults.Ok((await rules.ListAsync(tenant.OrganizationId, cancellationToken)).Select(AlertRuleResponse.From).ToList());

    public static async Task<Results<Ok<AlertRuleResponse>, NotFound<ProblemDetails>>> GetRule(Tenant tenant, long ruleId, AlertRuleRepository rules, CancellationToken cancellationToken)
        => await rules.GetAsync(tenant.OrganizationId, ruleId, cancellationToken) is { } rule ? TypedResults.Ok(AlertRuleResponse.From(rule)) : Problems.NotFound("alert rule", ruleId);

    public static async Task<Results<Created<AlertRuleResponse>, ValidationProblem, Conflict<ProblemDetails>>> CreateRule(
        Tenant tenant, AlertRuleRequest request, AlertRuleRepository rules, Egress.EgressPolicy egress, IOptions<Notifications.EmailOptions> email, CancellationToken cancellationToken)
    {
        var (definition, errors) = AlertRuleValidator.Validate(request, egress, email.Value.Configured);
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
        Tenant tenant, long ruleId, AlertRuleRequest request, AlertRuleRepository rules, Egress.EgressPolicy egress, IOptions<Notifications.EmailOptions> email, CancellationToken cancellationToken)
    {
        var (definition, errors) = AlertRuleValidator.Validate(request, egress, email.Value.Configured);
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
