using IntentVision.Data.Metrics;
using IntentVision.Data.Writing;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// An ingest request as one unit of the database writer: its guard's check (a replayed idempotency key answers from its
/// record and stores nothing), the points, and the guard's record of the answer, so they commit together or not at all.
/// Anomaly detection, a participant of the writer's groups, scores what it stored (<see cref="IIngestBatchUnit"/>).
/// </summary>
public sealed class IngestRequestUnit(IngestBatch batch, int rejected, IReadOnlyDictionary<string, string[]>? reported, IIngestGuard? guard)
    : IWriteUnit<IngestOutcome>, IIngestBatchUnit, IWriteAheadUnit
{
    private IngestResult? _stored;

    public IngestBatch Batch { get; } = batch;

    /// <summary>A guarded request reads its idempotency record before it may write: it runs alone.</summary>
    public IWriteAhead? WriteAhead => guard is null ? IngestWriter.WriteAhead : null;

    public int Weight => Batch.PointCount;

    public async Task<IngestOutcome> WriteAsync(WriteScope scope, CancellationToken cancellationToken)
    {
        // The writer may run the unit again when its group failed before committing: nothing of an earlier run counts.
        _stored = null;
        if (guard is not null && await guard.CheckAsync(scope, cancellationToken) is { } refusal)
        {
            return new IngestOutcome(null, null, refusal);
        }

        var result = await IngestWriter.StoreAsync(scope, Batch, cancellationToken);
        var response = new IngestResponse(result.Accepted, result.Inserted, result.Updated, rejected, result.SeriesIds, reported);
        if (guard is not null)
        {
            await guard.RecordAsync(scope, response, cancellationToken);
        }

        _stored = result;
        return new IngestOutcome(response, null);
    }

    public IngestResult? Stored(object? result) => result is IngestOutcome { Response: not null } ? _stored : null;
}
