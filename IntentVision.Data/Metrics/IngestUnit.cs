using IntentVision.Data.Writing;

namespace IntentVision.Data.Metrics;

/// <summary>
/// One ingest call as a unit of the <see cref="DatabaseWriter"/>. Public so that the writer's group participants can
/// recognise it: its result's <see cref="IngestResult.SeriesIds"/> line up with <see cref="IngestBatch.Series"/>.
/// </summary>
public sealed class IngestUnit(IngestBatch batch) : IWriteUnit<IngestResult>
{
    public IngestBatch Batch { get; } = batch;

    public int Weight => Batch.PointCount;

    public Task<IngestResult> WriteAsync(WriteScope scope, CancellationToken cancellationToken) => IngestWriter.StoreAsync(scope, Batch, cancellationToken);
}
