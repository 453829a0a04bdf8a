using IntentVision.Data.Metrics;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// Validation and storage, shared by JSON, CSV, webhook and Prometheus ingestion. Anomaly detection runs inside the
/// storage transaction (see <see cref="Detection.DetectionStage"/>), so a call returns with its anomalies stored.
/// </summary>
public sealed class IngestionService(IngestRequestValidator validator, IngestWriter metrics)
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
        var rejected = (request?.Points?.Count ?? 0) - points.Count;
        return new IngestOutcome(
            new IngestResponse(result.Accepted, result.Inserted, result.Updated, rejected, result.SeriesIds, errors.Any ? errors.ToDictionary() : null),
            null);
    }
}
