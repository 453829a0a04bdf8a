using System.Text.Json;
using IntentVision.Api.Alerting;
using IntentVision.Api.Auth;
using IntentVision.Api.Egress;
using IntentVision.Api.Infrastructure;
using IntentVision.Api.Ingestion;
using IntentVision.Api.Limits;
using IntentVision.Api.Sources;
using IntentVision.Data.Sources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Apis;

/// <summary>
/// Ingestion sources (scope <c>admin</c>). <c>prometheus</c> scrapes a text-exposition URL every intervalSeconds;
/// <c>webhook</c> accepts pushes at <c>POST /api/sources/{id}/push</c> signed with the secret shown once at creation.
/// </summary>
public static class SourcesApi
{
    public static RouteGroupBuilder MapSourcesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/sources").WithTags("Ingestion sources");
        api.MapGet("/", ListSources).WithName("ListSources").WithSummary("List sources with their last sync time and last error").RequireAuthorization(Scopes.Admin);
        api.MapGet("/{sourceId:long}", GetSource).WithName("GetSource").WithSummary("Get one source").RequireAuthorization(Scopes.Admin);
        api.MapGet("/{sourceId:long}/metrics", ListSourceMetrics).WithName("ListSourceMetrics").WithSummary("The metrics a Prometheus source exposes, with their declared types").RequireAuthorization(Scopes.Admin);
        api.MapPost("/", CreateSource).WithName("CreateSource").RequireAuthorization(Scopes.Admin)
            .WithSummary("Create a source: {name, type: prometheus, url, intervalSeconds} or {name, type: webhook}")
            .WithDescription("A Prometheus URL must reach an address the egress policy allows (public by default; IntentVision:Egress:Allow opens private ones). A webhook source's secret is in this answer only. Pushes send the same JSON as POST /api/metrics with 'X-IntentVision-Timestamp: <Unix seconds>' and 'X-IntentVision-Signature: sha256=<lowercase hex HMAC-SHA256(secret, \"<timestamp>.<raw body>\")>'; a timestamp more than 5 minutes from the server's clock, or a push seen before, is refused.");
        api.MapDelete("/{sourceId:long}", DeleteSource).WithName("DeleteSource").WithSummary("Delete a source").RequireAuthorization(Scopes.Admin);
        api.MapPost("/{sourceId:long}/sync", SyncSource).WithName("SyncSource").WithSummary("Scrape a Prometheus source now").RequireAuthorization(Scopes.Admin);
        api.MapPost("/{sourceId:long}/push", PushToSource).WithName("PushToSource").AllowAnonymous().WithRequestBodyLimit(InputRules.MaxIngestBodyBytes)
            .Accepts<IngestRequest>("application/json")
            .WithSummary("Push points to a webhook source (authenticated by its HMAC-SHA256 signature, not by an API key)");
        return api;
    }

    public static async Task<Ok<List<SourceView>>> ListSources(Tenant tenant, IngestionSourceRepository sources, CancellationToken cancellationToken)
        => TypedResults.Ok((await sources.ListAsync(tenant.OrganizationId, cancellationToken)).Select(SourceView.From).ToList());

    public static async Task<Results<Ok<SourceView>, NotFound<ProblemDetails>>> GetSource(Tenant tenant, long sourceId, IngestionSourceRepository sources, CancellationToken cancellationToken)
        => await sources.GetAsync(tenant.OrganizationId, sourceId, cancellationToken) is { } found ? TypedResults.Ok(SourceView.From(found)) : Problems.NotFound("source", sourceId);

    public static async Task<Results<Ok<IReadOnlyList<SourceMetric>>, NotFound<ProblemDetails>>> ListSourceMetrics(
        Tenant tenant, long sourceId, IngestionSourceRepository sources, SourceScrapeStateRepository scrapeState, CancellationToken cancellationToken)
        => await sources.GetAsync(tenant.OrganizationId, sourceId, cancellationToken) is null
            ? Problems.NotFound("source", sourceId)
            : TypedResults.Ok(await scrapeState.ListMetricsAsync(sourceId, cancellationToken));

    public static async Task<Results<Created<CreatedSource>, ValidationProblem, Conflict<ProblemDetails>>> CreateSource(
        Tenant tenant, CreateSourceRequest request, IngestionSourceRepository sources, EgressPolicy egress, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            errors.Add("name", "is required: 1 to 200 characters");
        }

        string? secret = null;
        SourceConfig config;
        switch (request.Type)
        {
            case "prometheus":
                if (request.Url is not { Length: <= 2000 } || !Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    errors.Add("url", "is required: the absolute http(s) URL of a Prometheus text exposition");
                }
                else if (egress.RefusesLiteral(url))
                {
                    errors.Add("url", "is refused by the egress policy (loopback, private, link-local and similar addresses are not reachable)");
                }

                if (request.IntervalSeconds is not { } interval || interval < 1 || interval > 86_400)
                {
                    errors.Add("intervalSeconds", "is required: 1 to 86400");
                }

                config = new SourceConfig(Url: request.Url);
                break;
            case "webhook":
                secret = ApiKeyFormat.NewSecret();
                config = new SourceConfig(Secret: secret);
                break;
            default:
                errors.Add("type", "must be 'prometheus' or 'webhook'");
                config = new SourceConfig();
                break;
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var created = await sources.CreateAsync(
            tenant.OrganizationId, request.Name!.Trim(), request.Type!, JsonSerializer.Serialize(config, JsonSerializerOptions.Web),
            request.Type == "prometheus" ? request.IntervalSeconds : null, request.Enabled ?? true, cancellationToken);
        return created is null
            ? Problems.Conflict("The source name is taken.", $"This organization has a source named '{request.Name}' already.")
            : TypedResults.Created($"/api/sources/{created.Id}", new CreatedSource(SourceView.From(created), secret));
    }

    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> DeleteSource(Tenant tenant, long sourceId, IngestionSourceRepository sources, CancellationToken cancellationToken)
        => await sources.DeleteAsync(tenant.OrganizationId, sourceId, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("source", sourceId);

    public static async Task<Results<Ok<SourceView>, NotFound<ProblemDetails>, ProblemHttpResult>> SyncSource(
        Tenant tenant, long sourceId, IngestionSourceRepository sources, PrometheusScrapeJob scraper, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await sources.GetAsync(tenant.OrganizationId, sourceId, cancellationToken) is not { } source)
        {
            return Problems.NotFound("source", sourceId);
        }

        if (source.Type != "prometheus")
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Only Prometheus sources are scraped.", detail: $"Source {sourceId} is a {source.Type} source.");
        }

        await scraper.ScrapeAsync(source, time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(SourceView.From((await sources.GetAsync(tenant.OrganizationId, sourceId, cancellationToken))!));
    }

    public static async Task<Results<Ok<IngestResponse>, ValidationProblem, ProblemHttpResult>> PushToSource(
        long sourceId,
        bool? partial,
        HttpContext context,
        IngestionSourceRepository sources,
        IngestionService ingestion,
        IngestQuota quota,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        using var body = await RequestBody.ReadAsync(context.Request, InputRules.MaxIngestBodyBytes, cancellationToken);
        var source = await sources.FindAsync(sourceId, cancellationToken);
        var config = source is { Type: "webhook" } ? JsonSerializer.Deserialize<SourceConfig>(source.Config, JsonSerializerOptions.Web) : null;
        var signature = context.Request.Headers[WebhookSignature.SignatureHeader].ToString();
        var now = time.GetUtcNow();

        // An unknown source and a bad signature get the same answer, so source ids cannot be probed.
        if (source is null || config?.Secret is null || !PushSignature.Verify(config.Secret, context.Request.Headers[WebhookSignature.TimestampHeader], body.Span, signature, now))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "The push is not signed for this source.",
                detail: $"Send '{WebhookSignature.TimestampHeader}: <Unix seconds, within {PushSignature.Tolerance.TotalMinutes:0} minutes of now>' and '{WebhookSignature.SignatureHeader}: sha256=<hex HMAC-SHA256(secret, \"<timestamp>.<raw body>\")>'.");
        }

        if (!source.Enabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The source is disabled.");
        }

        IngestRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<IngestRequest>(body.Span, json.Value.SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The JSON body could not be read.", StatusCodes.Status400BadRequest, e);
        }

        // A source spends its organization's ingest quota like a key of its own.
        quota.Take(new Tenant(source.OrganizationId, $"source:{source.Id}", IsPlatformAdmin: false), request?.Points?.Count ?? 0);

        // A signature is good once: a replay within the tolerance is refused (after it, the timestamp is). The claim, the
        // points and the sync time are one unit of work: a push that failed leaves no claim behind and can be sent again.
        var claim = signature.Trim().ToLowerInvariant();
        var guard = new PushGuard(source.Id, claim, now + PushSignature.Tolerance + PushSignature.Tolerance, now);
        var outcome = await ingestion.IngestAsync(source.OrganizationId, request, partial ?? false, "webhook", cancellationToken, guard: guard);
        if (outcome.Errors is { } errors)
        {
            await sources.RecordSyncAsync(source.Id, now, "the last push was rejected", succeeded: false, cancellationToken);
            return errors.ToProblem("The batch was rejected; nothing was written.");
        }

        if (outcome.Refused is { Replayed: true })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The push was replayed.", detail: "This signed push was accepted before; sign each push anew with a fresh timestamp.");
        }

        return TypedResults.Ok(outcome.Response!);
    }
}

public sealed record CreateSourceRequest(string? Name, string? Type, string? Url, int? IntervalSeconds, bool? Enabled);

/// <summary>
/// A source as shown: the webhook secret is never included. <see cref="LastAttemptAt"/> is the last scrape or push,
/// <see cref="LastSuccessAt"/> the last one that worked (<see cref="LastSyncAt"/> is the former, kept for older clients).
/// </summary>
public sealed record SourceView(
    long Id,
    string Name,
    string Type,
    string? Url,
    int? IntervalSeconds,
    bool Enabled,
    DateTimeOffset? LastSyncAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    string? PushPath,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? LastSuccessAt)
{
    public static SourceView From(IngestionSource s)
    {
        var config = JsonSerializer.Deserialize<SourceConfig>(s.Config, JsonSerializerOptions.Web) ?? new SourceConfig();
        return new SourceView(
            s.Id, s.Name, s.Type, config.Url, s.IntervalSeconds, s.Enabled, s.LastSyncAt, s.LastError, s.CreatedAt,
            s.Type == "webhook" ? $"/api/sources/{s.Id}/push" : null, s.LastSyncAt, s.LastSuccessAt);
    }
}

/// <summary>A new source; <see cref="Secret"/> (webhook sources only) is shown here only.</summary>
public sealed record CreatedSource(SourceView Source, string? Secret);
