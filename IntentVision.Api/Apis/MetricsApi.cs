using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntentVision.Api.Auth;
using IntentVision.Api.Infrastructure;
using IntentVision.Api.Ingestion;
using IntentVision.Api.Limits;
using IntentVision.Data.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Apis;

/// <summary>
/// Ingestion (scope <c>ingest:write</c>): JSON batches and CSV uploads. A batch is stored whole or not at all unless
/// <c>?partial=true</c>; a retry with the same <c>Idempotency-Key</c> (per organization, kept 24 h) gets the first answer
/// again without writing anything. The key is reserved in the transaction that stores the points, so requests sent
/// together with one key apply once: the others wait for it (their writes queue behind it) and replay its answer.
/// </summary>
public static class MetricsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";

    public static RouteGroupBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/metrics").WithTags("Ingestion").RequireAuthorization(Scopes.IngestWrite).WithRequestBodyLimit(InputRules.MaxIngestBodyBytes);
        api.MapPost("/", IngestJson)
            .Accepts<IngestRequest>("application/json")
            .WithName("IngestPoints")
            .WithSummary("Ingest a JSON batch of points")
            .WithDescription($"Up to {InputRules.MaxPointsPerRequest} points and {InputRules.MaxIngestBodyBytes} bytes (413 beyond). Timestamps ISO-8601 with an offset (Z or +hh:mm), from {InputRules.EarliestTimestamp:yyyy-MM-dd} to {InputRules.FutureTolerance.TotalHours} h ahead of the server clock; values finite; at most {InputRules.MaxDimensions} dimensions. The batch is stored whole or not at all unless partial=true, which stores the valid points and reports the others by index and field. A point for an existing series and timestamp replaces the value and counts as updated. Send '{IdempotencyHeader}' to make retries safe: the first answer is stored with the points, in the same transaction, and replayed (with '{ReplayedHeader}: true') to every later request with the key; requests sent at the same time with one key wait for the first and replay its answer, so the batch is applied exactly once; the same key with another body is 422. A database failure is 503 (or 507 for a full disk) with Retry-After: retry with the same key, and the batch is applied once or its answer replayed. {AnomaliesApi.DetectionRules}");
        api.MapPost("/csv", IngestCsv)
            .Accepts<string>("text/csv")
            .WithName("IngestCsv")
            .WithSummary("Ingest a CSV upload: timestamp, metric, value, then one column per dimension")
            .WithDescription("The header row names the columns (any order, each once); an empty dimension cell means the point has no such dimension. Timestamps are ISO-8601 with an offset or Unix seconds/milliseconds; a UTF-8 byte order mark is fine. Errors name rows[i].field, i counting data rows from 0. Same limits, partial and Idempotency-Key as the JSON endpoint.");
        return api;
    }

    public static async Task<Results<Ok<IngestResponse>, ValidationProblem, ContentHttpResult, ProblemHttpResult>> IngestJson(
        [AsParameters] IngestRoute route,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var (tenant, partial, context, ingestion, quota, idempotency, time) = route;
        if (!context.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be application/json.", detail: "Send the batch as JSON, or CSV to /api/metrics/csv.");
        }

        using var body = await RequestBody.ReadAsync(context.Request, InputRules.MaxIngestBodyBytes, cancellationToken);
        return await WithIdempotency(tenant, "json", context, body, idempotency, time, cancellationToken, async guard =>
        {
            IngestRequest? request;
            try
            {
                request = IngestJsonReader.Read(body.Span, json.Value.SerializerOptions);
            }
            catch (JsonException e)
            {
                throw new BadHttpRequestException("The JSON body could not be read.", StatusCodes.Status400BadRequest, e);
            }

            quota.Take(tenant, request?.Points?.Count ?? 0);
            return await ingestion.IngestAsync(tenant.OrganizationId, request, partial ?? false, "api", cancellationToken, guard: guard);
        });
    }

    public static async Task<Results<Ok<IngestResponse>, ValidationProblem, ContentHttpResult, ProblemHttpResult>> IngestCsv(
        [AsParameters] IngestRoute route,
        CancellationToken cancellationToken)
    {
        var (tenant, partial, context, ingestion, quota, idempotency, time) = route;
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be text/csv.", detail: "Send a header row timestamp,metric,value[,dimension...] and one row per point.");
        }

        using var body = await RequestBody.ReadAsync(context.Request, InputRules.MaxIngestBodyBytes, cancellationToken);
        return await WithIdempotency(tenant, "csv", context, body, idempotency, time, cancellationToken, async guard =>
        {
            var (request, errors) = CsvPointReader.Read(Encoding.UTF8.GetString(body.Span));
            if (errors.Fields.Contains("header"))
            {
                return new IngestOutcome(null, errors);
            }

            quota.Take(tenant, request.Points?.Count ?? 0);
            return await ingestion.IngestAsync(tenant.OrganizationId, request, partial ?? false, "csv", cancellationToken, "rows", errors, guard);
        });
    }

    private static async Task<Results<Ok<IngestResponse>, ValidationProblem, ContentHttpResult, ProblemHttpResult>> WithIdempotency(
        Tenant tenant,
        string format,
        HttpContext context,
        RequestBody body,
        IdempotencyRepository idempotency,
        TimeProvider time,
        CancellationToken cancellationToken,
        Func<IIngestGuard?, Task<IngestOutcome>> ingest)
    {
        var key = context.Request.Headers[IdempotencyHeader].ToString();
        IdempotencyGuard? guard = null;
        string? requestHash = null;
        if (key.Length > 0)
        {
            if (key.Length > InputRules.MaxIdempotencyKeyLength || key.Any(c => c < 0x21 || c > 0x7e))
            {
                var errors = new ValidationErrors();
                errors.Add(IdempotencyHeader, $"must be 1 to {InputRules.MaxIdempotencyKeyLength} printable ASCII characters without spaces");
                return errors.ToProblem();
            }

            // The key is bound to what was asked: the same key with another body is a client bug, not a retry. Both
            // route forms ask the same, so the format stands for the route, not the path.
            requestHash = RequestHash(format + context.Request.QueryString + "\n", body.Span);

            // Most retries are answered here, from a read; the authoritative check is inside the write (see IdempotencyGuard).
            if (await idempotency.FindAsync(tenant.OrganizationId, key, cancellationToken) is { } earlier)
            {
                return Replay(context, earlier, requestHash);
            }

            guard = new IdempotencyGuard(tenant.OrganizationId, key, requestHash, time.GetUtcNow());
        }

        var outcome = await ingest(guard);
        if (outcome.Errors is { } invalid)
        {
            return invalid.ToProblem("The batch was rejected; nothing was written.");
        }

        if (outcome.Refused?.Earlier is { } first)
        {
            // Another request with this key was applied first (it was in flight): its answer, not a second application.
            return Replay(context, first, requestHash!);
        }

        return TypedResults.Ok(outcome.Response!);
    }

    private static string RequestHash(string route, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(route));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static Results<Ok<IngestResponse>, ValidationProblem, ContentHttpResult, ProblemHttpResult> Replay(HttpContext context, IdempotentResponse earlier, string requestHash)
    {
        if (earlier.RequestHash != requestHash)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The Idempotency-Key was used for another request.",
                detail: $"Within {InputRules.IdempotencyLifetime.TotalHours} h a key may only be retried with the same body.");
        }

        context.Response.Headers[ReplayedHeader] = "true";
        return TypedResults.Content(earlier.ResponseBody, "application/json", Encoding.UTF8, earlier.StatusCode);
    }
}

/// <summary>What both ingest routes bind besides their body: the tenant, <c>?partial</c>, the request and the ingest's services.</summary>
public sealed record IngestRoute(
    Tenant Tenant,
    [FromQuery(Name = "partial")] bool? Partial,
    HttpContext Context,
    IngestionService Ingestion,
    IngestQuota Quota,
    IdempotencyRepository Idempotency,
    TimeProvider Time);
