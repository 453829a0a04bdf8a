namespace IntentVision.Data.Writing;

/// <summary>
/// A piece of work the <see cref="DatabaseWriter"/> runs inside its group transaction, under a savepoint of its own:
/// it commits together with the other units of its group, or, if it fails, is undone alone. Everything a request must
/// write all-or-nothing (points, series statistics, anomalies, its idempotency record, key usage) belongs in one unit.
/// </summary>
/// <typeparam name="TResult">What the caller gets back once the group has committed.</typeparam>
public interface IWriteUnit<TResult>
{
    /// <summary>How much the unit writes (points, rows), so that a group stays bounded; at least 1.</summary>
    int Weight { get; }

    /// <summary>
    /// Writes through <paramref name="scope"/>. Runs on the writer's connection, one unit at a time; the result is
    /// handed to the caller only after COMMIT, so a caller never sees a result of something that was rolled back.
    /// </summary>
    Task<TResult> WriteAsync(WriteScope scope, CancellationToken cancellationToken);
}
