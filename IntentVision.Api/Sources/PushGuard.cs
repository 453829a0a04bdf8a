using IntentVision.Api.Ingestion;
using IntentVision.Data.Sources;
using IntentVision.Data.Writing;

namespace IntentVision.Api.Sources;

/// <summary>
/// A signed push's own writes, in the unit of work that stores its points: the claim on its signature (a replay writes
/// nothing) and the source's sync time. A push is claimed, stored and recorded together, or not at all, so a push that
/// failed can be sent again as it was.
/// </summary>
public sealed class PushGuard(long sourceId, string signature, DateTimeOffset claimUntil, DateTimeOffset now) : IIngestGuard
{
    public async Task<IngestRefusal?> CheckAsync(WriteScope scope, CancellationToken cancellationToken) =>
        await PushReplayRepository.TryClaimAsync(scope, sourceId, signature, claimUntil, cancellationToken) ? null : new IngestRefusal(null, Replayed: true);

    public Task RecordAsync(WriteScope scope, IngestResponse response, CancellationToken cancellationToken) =>
        IngestionSourceRepository.RecordSyncAsync(scope, sourceId, now, null, succeeded: true, cancellationToken);
}
