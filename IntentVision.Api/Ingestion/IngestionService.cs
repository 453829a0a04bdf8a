using IntentVision.Api.Detection;
using IntentVision.Data.Metrics;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// Validation, storage and the hand-off to anomaly detection, shared by JSON, CSV, webhook and Prometheus ingestion.
/// Detection is queued, never awaited, so it cannot slow ingestion down.
/// </summary>
public sealed class IngestionService(IngestRequestValidator validator, IngestWriter metrics, DetectionQueue detection)
{
    public async Task<IngestOutcome> IngestAsync(
        string organizationId,
        IngestRequest? request,
        bool allowPartial,
        string source,
        CancellationToken cancellationToken,
        string collection = "points",
        ValidationErrors? priorErrors = null)
    {
        var (points, errors) = validator.Validate(request, collection, priorErrors);
        if (errors.Any && (!allowPartial || points.Count == 0))
        {
            return new IngestOutcome(null, errors);
        }

        var result = await metrics.IngestAsync(organizationId, points, source, cancellationToken);
        detection.Enqueue(organizationId, result.SeriesIds);
        var rejected = (request?.Points?.Count ?? 0) - points.Count;
        return new IngestOutcome(
            new IngestResponse(result.Accepted, result.Inserted, result.Updated, rejected, result.SeriesIds, errors.Any ? errors.ToDictionary() : null),
            null);
    }
}
