using IntentVision.Api.Detection;
using IntentVision.Data.Metrics;
using IntentVision.Data.Writing;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// Validation, storage and the hand-off to anomaly detection, shared by JSON, CSV, webhook and Prometheus ingestion.
/// A request's points and its own bookkeeping (a guard's idempotency record or push claim) are one unit of work of the
/// database writer. Detection is queued after the commit, never awaited, so it cannot slow ingestion down.
/// </summary>
public sealed class IngestionService(IngestRequestValidator validator, IngestWriter metrics, DatabaseWriter writer, DetectionQueue detection)
{
    public async Task<IngestOutcome> IngestAsync(
        string organizationId,
        IngestRequest? request,
        bool allowPartial,
        string source,
        CancellationToken cancellationToken,
        string collection = "points",
        ValidationErrors? priorErrors = null,
        IIngestGuard? guard = null)
    {
        var (points, errors) = validator.Validate(request, collection, priorErrors);
        if (errors.Any && (!allowPartial || points.Count == 0))
        {
            return new IngestOutcome(null, errors);
        }

        var batch = IngestBatch.Create(organizationId, points, source);
        var rejected = (request?.Points?.Count ?? 0) - points.Count;
        var reported = errors.Any ? errors.ToDictionary() : null;
        var outcome = await writer.WriteAsync(
            async (scope, token) =>
            {
                if (guard is not null && await guard.CheckAsync(scope, token) is { } refusal)
                {
                    return new IngestOutcome(null, null, refusal);
                }

                var result = await metrics.StoreAsync(scope, batch, token);
                var response = new IngestResponse(result.Accepted, result.Inserted, result.Updated, rejected, result.SeriesIds, reported);
                if (guard is not null)
                {
                    await guard.RecordAsync(scope, response, token);
                }

                return new IngestOutcome(response, null);
            },
            cancellationToken,
            weight: batch.PointCount);
        if (outcome.Response is { } stored)
        {
            detection.Enqueue(organizationId, stored.SeriesIds);
        }

        return outcome;
    }
}
