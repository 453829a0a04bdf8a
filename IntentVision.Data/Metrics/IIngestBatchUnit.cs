using IntentVision.Data.Writing;

namespace IntentVision.Data.Metrics;

/// <summary>
/// A unit of the <see cref="DatabaseWriter"/> that stores an <see cref="IngestBatch"/> (a bare <see cref="IngestUnit"/>,
/// or an API request whose unit also writes its idempotency record), as the writer's group participants see it:
/// anomaly detection scores the points such units stored.
/// </summary>
public interface IIngestBatchUnit
{
    IngestBatch Batch { get; }

    /// <summary>
    /// What the unit stored, given the result it ran to; null when it stored nothing (a request answered from its
    /// idempotency record). The ids of <see cref="IngestResult.SeriesIds"/> line up with <see cref="IngestBatch.Series"/>.
    /// </summary>
    IngestResult? Stored(object? result);
}
