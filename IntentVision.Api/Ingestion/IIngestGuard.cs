using IntentVision.Data.Writing;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// Writes that belong to an ingest request besides its points (its idempotency record, a push's replay claim and sync
/// time). They run in the ingest's own unit of work of the one database writer, so the request's answer and its points
/// commit together or not at all.
/// </summary>
public interface IIngestGuard
{
    /// <summary>Before the points: an answer when the request was handled before (nothing is written then), else null.</summary>
    Task<IngestRefusal?> CheckAsync(WriteScope scope, CancellationToken cancellationToken);

    /// <summary>After the points, with the answer the caller will get once the group commits.</summary>
    Task RecordAsync(WriteScope scope, IngestResponse response, CancellationToken cancellationToken);
}
