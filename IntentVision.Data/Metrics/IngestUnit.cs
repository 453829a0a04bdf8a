using IntentVision.Data.Writing;

namespace IntentVision.Data.Metrics;

/// <summary>
/// One ingest call as a unit of the <see cref="DatabaseWriter"/>. Public so that the writer's group participants can
/// recognise it (see <see cref="IIngestBatchUnit"/>).
/// </summary>
public sealed class IngestUnit(IngestBatch batch) : IWriteUnit<IngestResult>, IIngestBatchUnit, IWriteAheadUnit
{
    public IngestBatch Batch { get; } = batch;

    public IWriteAhead? WriteAhead => IngestWriter.WriteAhead;

    public int Weight => Batch.PointCount;

    public Task<IngestResult> WriteAsync(WriteScope scope, CancellationToken cancellationToken) => IngestWriter.StoreAsync(scope, Batch, cancellationToken);

    public IngestResult? Stored(object? result) => result as IngestResult;
}
