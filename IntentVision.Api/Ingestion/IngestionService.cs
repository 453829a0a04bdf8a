using IntentVision.Data.Metrics;
using IntentVision.Data.Writing;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// Validation and storage, shared by JSON, CSV, webhook and Prometheus ingestion. A request's points and its own
/// bookkeeping (a guard's idempotency record or push claim) are one unit of work of the database writer
/// (<see cref="IngestRequestUnit"/>). Anomaly detection runs inside the same transaction (see
/// <see cref="Detection.DetectionStage"/>), so a call returns with its anomalies stored.
/// </summary>
public sealed class IngestionService(IngestRequestValidator validator, DatabaseWriter writer)
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

        var batch = IngestBatch.Create(organizationId, points, source, forServer: !writer.Capabilities.InProcess);
        var rejected = (request?.Points?.Count ?? 0) - points.Count;
        var reported = errors.Any ? errors.ToDictionary() : null;
        return await writer.WriteAsync(new IngestRequestUnit(batch, rejected, reported, guard), cancellationToken);
    }
}
