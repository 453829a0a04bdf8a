using IntentVision.Api.Alerting;
using IntentVision.Api.Auth;
using IntentVision.Api.Ingestion;
using IntentVision.Api.Notifications;
using IntentVision.Data.Alerts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>Alerts raised by the evaluation loop: read with <c>metrics:read</c>, acknowledged and resolved with <c>alerts:write</c>.</summary>
public static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/alerts").WithTags("Alerts");
        api.MapGet("/", ListAlerts).WithName("ListAlerts").WithSummary("List alerts, most recently changed first (state, ruleId, limit)").RequireAuthorization(Scopes.MetricsRead);
        api.MapGet("/{alertId:long}", GetAlert).WithName("GetAlert")
            .WithSummary("Get one alert with its notifications: each channel's delivery state (queued, delivered, failed, silenced) and every attempt")
            .RequireAuthorization(Scopes.MetricsRead);
        api.MapPost("/{alertId:long}/acknowledge", AcknowledgeAlert).WithName("AcknowledgeAlert")
            .WithSummary("Acknowledge an open alert once: who (the key, and an optional 'by' name) and when are recorded; it stays open, without repeat notifications, until it resolves")
            .RequireAuthorization(Scopes.AlertsWrite);
        api.MapPost("/{alertId:long}/resolve", ResolveAlert).WithName("ResolveAlert")
            .WithSummary("Resolve an open alert by hand (its channels are notified); if its rule still breaches, the next evaluation opens a new one")
            .RequireAuthorization(Scopes.AlertsWrite);
        app.MapGet("/notifications", ListNotifications).WithTags("Alerts").WithName("ListNotifications")
            .WithSummary("List the organization's notifications, newest first (status: queued, delivered, failed, silenced; limit)")
            .RequireAuthorization(Scopes.MetricsRead);
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<Alert>>, ValidationProblem>> ListAlerts(Tenant tenant, string? state, long? ruleId, int? limit, AlertRepository alerts, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (state is not null && !AlertStates.All.Contains(state))
        {
            errors.Add("state", $"must be one of: {string.Join(", ", AlertStates.All)}");
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

    public static async Task<Results<Ok<AlertDetails>, NotFound<ProblemDetails>>> GetAlert(
        Tenant tenant, long alertId, AlertRepository alerts, NotificationOutboxRepository outbox, CancellationToken cancellationToken)
    {
        if (await alerts.GetAsync(tenant.OrganizationId, alertId, cancellationToken) is not { } alert)
        {
            return Problems.NotFound("alert", alertId);
        }

        var history = await outbox.ListForAlertAsync(tenant.OrganizationId, alertId, cancellationToken);
        var details = System.Text.Json.JsonDocument.Parse(alert.Details).RootElement.Clone();
        return TypedResults.Ok(new AlertDetails(
            alert,
            details.TryGetProperty("series", out var series) ? series : null,
            details.TryGetProperty("trigger", out var trigger) ? trigger : null,
            history.Select(NotificationView.From).ToList()));
    }

    public static async Task<Results<Ok<IReadOnlyList<NotificationView>>, ValidationProblem>> ListNotifications(
        Tenant tenant, string? status, int? limit, NotificationOutboxRepository outbox, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (status is not null && !NotificationView.Statuses.Contains(status))
        {
            errors.Add("status", $"must be one of: {string.Join(", ", NotificationView.Statuses)}");
        }

        if (limit is < 1 or > 1000)
        {
            errors.Add("limit", "must be between 1 and 1000");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var rows = await outbox.ListAsync(tenant.OrganizationId, status, limit ?? 200, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<NotificationView>>(rows.Select(n => NotificationView.From(new NotificationHistory(n, []))).ToList());
    }

    public static async Task<Results<Ok<Alert>, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ValidationProblem>> AcknowledgeAlert(
        Tenant tenant, long alertId, [FromBody] AcknowledgeRequest? request, AlertRepository alerts, CancellationToken cancellationToken)
    {
        if (request?.By is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 100))
        {
            var errors = new ValidationErrors();
            errors.Add("by", "must be 1 to 100 characters");
            return errors.ToProblem();
        }

        if (await alerts.GetAsync(tenant.OrganizationId, alertId, cancellationToken) is not { } alert)
        {
            return Problems.NotFound("alert", alertId);
        }

        if (alert.AcknowledgedAt is not null && alert.IsOpen)
        {
            // Once: a second acknowledgement changes nothing.
            return TypedResults.Ok(alert);
        }

        var by = request?.By is { } n ? $"{n.Trim()} (key {tenant.KeyId})" : $"key {tenant.KeyId}";
        return await alerts.AcknowledgeAsync(tenant.OrganizationId, alertId, by, cancellationToken) is { } acknowledged
            ? TypedResults.Ok(acknowledged)
            : Problems.Conflict("The alert cannot be acknowledged.", $"It is {alert.State}.");
    }

    public static async Task<Results<Ok<Alert>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ResolveAlert(
        Tenant tenant,
        long alertId,
        AlertRepository alerts,
        AlertRuleRepository rules,
        NotificationPolicyRepository policies,
        AlertNotificationPlanner planner,
        NotificationDispatcher dispatcher,
        CancellationToken cancellationToken)
    {
        if (await alerts.GetAsync(tenant.OrganizationId, alertId, cancellationToken) is not { } alert)
        {
            return Problems.NotFound("alert", alertId);
        }

        if (!alert.IsOpen)
        {
            return TypedResults.Ok(alert);
        }

        var rule = ParsedAlertRule.From((await rules.GetAsync(tenant.OrganizationId, alert.RuleId, cancellationToken))!);
        var routes = (await policies.ListAsync(tenant.OrganizationId, cancellationToken)).Select(ParsedPolicy.From).ToList();
        var announced = AlertStates.Announced.Contains(alert.State);
        var change = new AlertChange(
            alert.Id, alert.OrganizationId, alert.RuleId, alert.SeriesId, alert.DedupKey, [alert.State], AlertStates.Resolved,
            $"{rule.Rule.Name}: resolved by hand", null, null, null, alert.StartedAt, $"key {tenant.KeyId}");
        var resolved = await alerts.WriteChangeWithNotificationsAsync(change, a => announced ? planner.Plan(rule, routes, a, AlertEvents.Resolved) : [], cancellationToken);
        if (resolved is null)
        {
            return Problems.Conflict("The alert cannot be resolved.", "It changed meanwhile; read it again.");
        }

        dispatcher.Wake();
        return TypedResults.Ok(resolved);
    }
}

/// <summary>An optional name for who acknowledges (the key is always recorded).</summary>
public sealed record AcknowledgeRequest(string? By);

/// <summary>An alert with the series it is about, what triggered its last change (value, since, predicted crossing, reason) and its notifications.</summary>
public sealed record AlertDetails(Alert Alert, System.Text.Json.JsonElement? Series, System.Text.Json.JsonElement? Trigger, IReadOnlyList<NotificationView> Notifications);

/// <summary>One notification of an alert on one channel: where, which event, its delivery state and attempts.</summary>
public sealed record NotificationView(
    long Id,
    long AlertId,
    string ChannelType,
    string Channel,
    string Event,
    string Status,
    int Attempts,
    string? LastError,
    int? LastStatusCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset DeadlineAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<NotificationAttempt> History)
{
    public static readonly IReadOnlyList<string> Statuses = ["queued", "delivered", "failed", "silenced"];

    public static NotificationView From(NotificationHistory h)
    {
        var n = h.Notification;
        return new NotificationView(
            n.Id, n.AlertId, n.ChannelType, n.ChannelTarget, n.Event, n.Status, n.Attempts, n.LastError, n.LastStatusCode, n.CreatedAt, n.DueAt, n.DeadlineAt, n.FinishedAt, h.Attempts);
    }
}
