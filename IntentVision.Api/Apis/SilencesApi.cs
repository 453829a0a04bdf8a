using System.Text.Json;
using IntentVision.Api.Alerting;
using IntentVision.Api.Auth;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Alerts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>
/// Silences (read with <c>metrics:read</c>, written with <c>alerts:write</c>): while one is in force, alerts whose labels
/// match all its matchers are marked silenced and their notifications are not sent.
/// </summary>
public static class SilencesApi
{
    private static readonly TimeSpan MaxLength = TimeSpan.FromDays(366);

    public static RouteGroupBuilder MapSilencesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/silences").WithTags("Silences");
        api.MapGet("/", ListSilences).WithName("ListSilences").WithSummary("List silences, the latest ending first (state: active, pending, expired)").RequireAuthorization(Scopes.MetricsRead);
        api.MapGet("/{silenceId:long}", GetSilence).WithName("GetSilence").WithSummary("Get one silence").RequireAuthorization(Scopes.MetricsRead);
        api.MapPost("/", CreateSilence).WithName("CreateSilence").RequireAuthorization(Scopes.AlertsWrite)
            .WithSummary("Create a silence: {matchers: [{name, op: = != =~ !~, value}], startsAt (default now), endsAt, comment}");
        api.MapPost("/{silenceId:long}/expire", ExpireSilence).WithName("ExpireSilence").WithSummary("End a silence now").RequireAuthorization(Scopes.AlertsWrite);
        return api;
    }

    public static async Task<Results<Ok<List<SilenceView>>, ValidationProblem>> ListSilences(Tenant tenant, string? state, int? limit, SilenceRepository silences, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (state is not null and not ("active" or "pending" or "expired"))
        {
            errors.Add("state", "must be active, pending or expired");
        }

        if (limit is < 1 or > 1000)
        {
            errors.Add("limit", "must be between 1 and 1000");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        var all = await silences.ListAsync(tenant.OrganizationId, state == "active" ? now : null, limit ?? 200, cancellationToken);
        return TypedResults.Ok(all.Select(s => SilenceView.From(s, now)).Where(s => state is null || s.State == state).ToList());
    }

    public static async Task<Results<Ok<SilenceView>, NotFound<ProblemDetails>>> GetSilence(Tenant tenant, long silenceId, SilenceRepository silences, TimeProvider time, CancellationToken cancellationToken)
        => await silences.GetAsync(tenant.OrganizationId, silenceId, cancellationToken) is { } s ? TypedResults.Ok(SilenceView.From(s, time.GetUtcNow())) : Problems.NotFound("silence", silenceId);

    public static async Task<Results<Created<SilenceView>, ValidationProblem>> CreateSilence(
        Tenant tenant, SilenceRequest request, SilenceRepository silences, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var now = time.GetUtcNow();
        var matchers = request.Matchers ?? [];
        if (matchers.Count is 0 or > 20)
        {
            errors.Add("matchers", "needs 1 to 20 matchers");
        }

        for (var i = 0; i < matchers.Count; i++)
        {
            if (matchers[i]?.Problem() is { } problem)
            {
                errors.Add($"matchers[{i}]", problem);
            }
        }

        var startsAt = request.StartsAt ?? now;
        if (request.EndsAt is not { } endsAt || endsAt <= startsAt || endsAt <= now || endsAt - startsAt > MaxLength)
        {
            errors.Add("endsAt", "is required: later than startsAt and now, at most 366 days after startsAt");
        }

        if (string.IsNullOrWhiteSpace(request.Comment) || request.Comment.Length > 1000)
        {
            errors.Add("comment", "is required: 1 to 1000 characters (why, and who to ask)");
        }

        if (request.CreatedBy is { Length: > 100 })
        {
            errors.Add("createdBy", "must be at most 100 characters");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var by = string.IsNullOrWhiteSpace(request.CreatedBy) ? $"key {tenant.KeyId}" : $"{request.CreatedBy.Trim()} (key {tenant.KeyId})";
        var created = await silences.CreateAsync(tenant.OrganizationId, JsonSerializer.Serialize(matchers, ParsedAlertRule.Json), startsAt, request.EndsAt!.Value, request.Comment!.Trim(), by, cancellationToken);
        return TypedResults.Created($"/api/silences/{created.Id}", SilenceView.From(created, now));
    }

    public static async Task<Results<Ok<SilenceView>, NotFound<ProblemDetails>>> ExpireSilence(Tenant tenant, long silenceId, SilenceRepository silences, TimeProvider time, CancellationToken cancellationToken)
        => await silences.ExpireAsync(tenant.OrganizationId, silenceId, cancellationToken) is { } s ? TypedResults.Ok(SilenceView.From(s, time.GetUtcNow())) : Problems.NotFound("silence", silenceId);
}

public sealed record SilenceRequest(List<LabelMatcher>? Matchers, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Comment, string? CreatedBy);

/// <summary>A silence with its state now: pending (starts later), active or expired.</summary>
public sealed record SilenceView(long Id, IReadOnlyList<LabelMatcher> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Comment, string CreatedBy, string State, DateTimeOffset CreatedAt)
{
    public static SilenceView From(Silence s, DateTimeOffset now) => new(
        s.Id,
        ActiveSilence.From(s).Matchers,
        s.StartsAt,
        s.EndsAt,
        s.Comment,
        s.CreatedBy,
        s.EndsAt <= now ? "expired" : s.StartsAt > now ? "pending" : "active",
        s.CreatedAt);
}
