using IntentVision.Api.Alerting;
using IntentVision.Api.Auth;
using IntentVision.Api.Detection;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Anomalies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>
/// Detected anomalies: read with <c>metrics:read</c>; acknowledged, and given an analyst's verdict, with <c>alerts:write</c>.
/// </summary>
public static class AnomaliesApi
{
    /// <summary>How detection decides what becomes an anomaly, stated once for the OpenAPI text of every route that needs it.</summary>
    public const string DetectionRules =
        "Detection runs as points are stored: when POST /api/metrics returns, the anomalies among its points are readable. " +
        "Each series is scored point by point from its own history (contextual-v2: learned patterns, new extremes, and deviation from a seasonal expected value). " +
        "Warm-up: nothing is stored as an anomaly before a series has 100 scored points (about 8 hours of 5-minute data, 100 minutes of 1-minute data). " +
        "Late points: a point at or before the latest timestamp already scored for its series is stored (last write wins per timestamp) but not scored, so it never becomes an anomaly; " +
        "within one request points are taken in timestamp order and the last of equal timestamps counts. " +
        "An anomaly is stored when its score reaches 0.5; in the 50 points after it, a detection with no higher score and the same pattern (same direction, deviation at most 1.25 times as large) is the same incident and is not stored again. " +
        "It is stored as a point anomaly at once and becomes a level_shift (or trend_change) when the median of it and the 4 points after it stays outside the band on the same side.";

    public static RouteGroupBuilder MapAnomaliesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/anomalies").WithTags("Anomalies");
        api.MapGet("/", ListAnomalies).WithName("ListAnomalies").RequireAuthorization(Scopes.MetricsRead)
            .WithSummary("List anomalies, newest first")
            .WithDescription("Filters: seriesId; severity = one or more of low, medium, high, critical (comma-separated); from/to on the anomaly's timestamp; acknowledged = true|false; limit (1-5000, default 500). " +
                "Each anomaly carries its explanation (expected value, band of normal values = expected ± 3 robust SDs, signed deviation in robust SDs, detector, seasonality, type, summary; null for anomalies stored before explanations) " +
                "and the analyst's feedback (null when none). " + DetectionRules);
        api.MapGet("/{anomalyId:long}", GetAnomaly).WithName("GetAnomaly").WithSummary("Get one anomaly").RequireAuthorization(Scopes.MetricsRead);
        api.MapPost("/{anomalyId:long}/acknowledge", AcknowledgeAnomaly).WithName("AcknowledgeAnomaly").WithSummary("Acknowledge an anomaly").RequireAuthorization(Scopes.AlertsWrite);
        api.MapPost("/{anomalyId:long}/feedback", GiveFeedback).WithName("GiveAnomalyFeedback").RequireAuthorization(Scopes.AlertsWrite)
            .WithSummary("Record an analyst's verdict on an anomaly")
            .WithDescription("Body {\"verdict\": \"not_anomaly\", \"comment\": \"optional, up to 2000 characters\"}. Replaces an earlier verdict. " +
                "It changes the series' detection from its next batch on: a later detection in the same direction whose deviation is at most 1.25 times the marked one's (plus 0.5 robust SD) " +
                "is the same pattern and is not stored; a marked anomaly inside the band (an unusual pattern) covers every later detection inside the band in its direction. Answers the anomaly with its feedback.");
        api.MapDelete("/{anomalyId:long}/feedback", WithdrawFeedback).WithName("WithdrawAnomalyFeedback").RequireAuthorization(Scopes.AlertsWrite)
            .WithSummary("Withdraw the verdict on an anomaly")
            .WithDescription("The series' detection stops treating that pattern as normal from its next batch on. Answers the anomaly (feedback null).");
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

    public static async Task<Results<Ok<StoredAnomaly>, ValidationProblem, NotFound<ProblemDetails>>> GiveFeedback(
        Tenant tenant, long anomalyId, FeedbackRequest? request, AnomalyRepository anomalies, DetectionStage detection, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request?.Verdict is not { } verdict || !AnomalyFeedback.Verdicts.Contains(verdict))
        {
            errors.Add("verdict", $"must be one of: {string.Join(", ", AnomalyFeedback.Verdicts)}");
        }

        if (request?.Comment is { Length: > FeedbackRequest.MaxCommentLength })
        {
            errors.Add("comment", $"must be at most {FeedbackRequest.MaxCommentLength} characters");
        }

        if (errors.Any)
        {
            return errors.ToProblem("The feedback is not valid; nothing was recorded.");
        }

        if (await anomalies.SetFeedbackAsync(tenant.OrganizationId, anomalyId, request!.Verdict!, request.Comment, FeedbackRequest.Caller(tenant), cancellationToken) is not { } found)
        {
            return Problems.NotFound("anomaly", anomalyId);
        }

        detection.FeedbackChanged(found.SeriesId);
        return TypedResults.Ok(found);
    }

    public static async Task<Results<Ok<StoredAnomaly>, NotFound<ProblemDetails>>> WithdrawFeedback(
        Tenant tenant, long anomalyId, AnomalyRepository anomalies, DetectionStage detection, CancellationToken cancellationToken)
    {
        if (await anomalies.ClearFeedbackAsync(tenant.OrganizationId, anomalyId, cancellationToken) is not { } found)
        {
            return Problems.NotFound("anomaly", anomalyId);
        }

        detection.FeedbackChanged(found.SeriesId);
        return TypedResults.Ok(found);
    }
}
