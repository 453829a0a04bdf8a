using System.Data.Common;

namespace IntentVision.Data.Metrics;

/// <summary>
/// What the ingest writer hands its new points to (ARCHITECTURE.md: "the writer hands new points to detection").
/// The writer calls <see cref="ScoreAsync"/> inside each group's transaction, after the points are written and before the
/// commit, so whatever the stage writes on that connection (anomalies, detector state) commits or rolls back with the
/// points; then exactly one of <see cref="Committed"/> or <see cref="RolledBack"/> with the same writes.
/// Calls never overlap: there is one writer.
/// </summary>
public interface IDetectionStage
{
    /// <summary>Scores the written points. The writer keeps the points even if this throws (the stage's writes are undone).</summary>
    Task ScoreAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SeriesWrite> writes, CancellationToken cancellationToken);

    /// <summary>The transaction holding the writes committed.</summary>
    void Committed(IReadOnlyList<SeriesWrite> writes);

    /// <summary>The transaction rolled back (or the stage's part of it did): in-memory state must forget these writes.</summary>
    void RolledBack(IReadOnlyList<SeriesWrite> writes);
}
