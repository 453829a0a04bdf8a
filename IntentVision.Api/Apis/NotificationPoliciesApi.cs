using System.Text.Json;
using IntentVision.Api.Alerting;
using IntentVision.Api.Auth;
using IntentVision.Api.Egress;
using IntentVision.Api.Ingestion;
using IntentVision.Api.Notifications;
using Microsoft.Extensions.Options;
using IntentVision.Data.Alerts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>
/// Notification policies (read with <c>metrics:read</c>, written with <c>alerts:write</c>): route alerts by label matchers to
/// channels, grouped and timed per policy. Tried in position order; the first match wins unless it sets continue.
/// An alert goes to its rule's own channels too.
/// </summary>
public static class NotificationPoliciesApi
{
    public static RouteGroupBuilder MapNotificationPoliciesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/notification-policies").WithTags("Notification policies");
        api.MapGet("/", List).WithName("ListNotificationPolicies").WithSummary("List policies in routing order").RequireAuthorization(Scopes.MetricsRead);
        api.MapGet("/{policyId:long}", Get).WithName("GetNotificationPolicy").WithSummary("Get one policy").RequireAuthorization(Scopes.MetricsRead);
        api.MapPost("/", Create).WithName("CreateNotificationPolicy").RequireAuthorization(Scopes.AlertsWrite)
            .WithSummary("Create a policy: {name, position, matchers: [{name, op, value}], channels (as on rules), notification: {groupBy, groupWaitSeconds, groupIntervalSeconds, repeatIntervalSeconds}, continue, enabled}");
        api.MapPut("/{policyId:long}", Replace).WithName("ReplaceNotificationPolicy").WithSummary("Replace a policy").RequireAuthorization(Scopes.AlertsWrite);
        api.MapDelete("/{policyId:long}", Delete).WithName("DeleteNotificationPolicy").WithSummary("Delete a policy").RequireAuthorization(Scopes.AlertsWrite);
        return api;
    }

    public static async Task<Ok<List<PolicyView>>> List(Tenant tenant, NotificationPolicyRepository policies, CancellationToken cancellationToken)
        => TypedResults.Ok((await policies.ListAsync(tenant.OrganizationId, cancellationToken)).Select(PolicyView.From).ToList());

    public static async Task<Results<Ok<PolicyView>, NotFound<ProblemDetails>>> Get(Tenant tenant, long policyId, NotificationPolicyRepository policies, CancellationToken cancellationToken)
        => await policies.GetAsync(tenant.OrganizationId, policyId, cancellationToken) is { } p ? TypedResults.Ok(PolicyView.From(p)) : Problems.NotFound("notification policy", policyId);

    public static async Task<Results<Created<PolicyView>, ValidationProblem, Conflict<ProblemDetails>>> Create(
        Tenant tenant, PolicyRequest request, NotificationPolicyRepository policies, EgressPolicy egress, IOptions<EmailOptions> email, CancellationToken cancellationToken)
    {
        var (definition, errors) = Validate(request, egress, email.Value.Configured);
        if (definition is null)
        {
            return errors.ToProblem();
        }

        var created = await policies.CreateAsync(tenant.OrganizationId, definition, cancellationToken);
        return created is null
            ? Problems.Conflict("The policy name is taken.", $"This organization has a policy named '{definition.Name}' already.")
            : TypedResults.Created($"/api/notification-policies/{created.Id}", PolicyView.From(created));
    }

    public static async Task<Results<Ok<PolicyView>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> Replace(
        Tenant tenant, long policyId, PolicyRequest request, NotificationPolicyRepository policies, EgressPolicy egress, IOptions<EmailOptions> email, CancellationToken cancellationToken)
    {
        var (definition, errors) = Validate(request, egress, email.Value.Configured);
        if (definition is null)
        {
            return errors.ToProblem();
        }

        var (policy, nameTaken) = await policies.UpdateAsync(tenant.OrganizationId, policyId, definition, cancellationToken);
        if (nameTaken)
        {
            return Problems.Conflict("The policy name is taken.", $"This organization has another policy named '{definition.Name}'.");
        }

        return policy is null ? Problems.NotFound("notification policy", policyId) : TypedResults.Ok(PolicyView.From(policy));
    }

    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> Delete(Tenant tenant, long policyId, NotificationPolicyRepository policies, CancellationToken cancellationToken)
        => await policies.DeleteAsync(tenant.OrganizationId, policyId, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("notification policy", policyId);

    private static (NotificationPolicyDefinition? Definition, ValidationErrors Errors) Validate(PolicyRequest? request, EgressPolicy egress, bool emailConfigured)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("$", "a JSON object is required");
            return (null, errors);
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            errors.Add("name", "is required: 1 to 200 characters");
        }

        if (request.Position is < 0 or > 10_000)
        {
            errors.Add("position", "must be 0 to 10000");
        }

        var matchers = request.Matchers ?? [];
        if (matchers.Count > 20)
        {
            errors.Add("matchers", "may hold at most 20 matchers (none: every alert)");
        }

        for (var i = 0; i < matchers.Count; i++)
        {
            if (matchers[i]?.Problem() is { } problem)
            {
                errors.Add($"matchers[{i}]", problem);
            }
        }

        var channels = request.Channels ?? [];
        if (channels.Count == 0)
        {
            errors.Add("channels", "needs at least one channel");
        }

        ChannelValidator.Validate(channels, "channels", errors, egress, emailConfigured);
        NotificationSettingsValidator.Validate(request.Notification, "notification", errors);
        if (errors.Any)
        {
            return (null, errors);
        }

        return (new NotificationPolicyDefinition(
            request.Name!.Trim(),
            request.Position ?? 0,
            JsonSerializer.Serialize(matchers, ParsedAlertRule.Json),
            JsonSerializer.Serialize(channels, ParsedAlertRule.Json),
            JsonSerializer.Serialize(request.Notification ?? new NotificationSettings(), ParsedAlertRule.Json),
            request.Continue ?? false,
            request.Enabled ?? true), errors);
    }
}

public sealed record PolicyRequest(string? Name, int? Position, List<LabelMatcher>? Matchers, List<NotificationChannel>? Channels, NotificationSettings? Notification, bool? Continue, bool? Enabled);

public sealed record PolicyView(long Id, string Name, int Position, IReadOnlyList<LabelMatcher> Matchers, IReadOnlyList<NotificationChannelView> Channels, NotificationSettings Notification, bool Continue, bool Enabled)
{
    public static PolicyView From(NotificationPolicy p)
    {
        var parsed = ParsedPolicy.From(p);
        return new PolicyView(p.Id, p.Name, p.Position, parsed.Matchers, parsed.Channels.Select(NotificationChannelView.From).ToList(), parsed.Notification, p.ContinueMatching, p.Enabled);
    }
}
