using System.Data.Common;

namespace IntentVision.Data.Metrics;

/// <summary>
/// What the ingest writer hands its new points to (ARCHITECTURE.md: "the writer hands new points to detection").
/// For each group the writer calls, in order: <see cref="Begin"/> with the group's points before it stores them (so
/// scoring can run on other cores meanwhile); <see cref="ScoreAsync"/> with the points of the calls that were stored,
/// inside the transaction before the commit (whatever the stage writes on that connection commits or rolls back with
/// the points); then <see cref="Committed"/> or <see cref="RolledBack"/>. Groups never overlap: there is one writer.
/// </summary>
public interface IDetectionStage
{
    /// <summary>The group's points, per call and series, in call order, before any is stored.</summary>
    void Begin(IReadOnlyList<SeriesPoints> points);

    /// <summary>Scores the stored points. The writer keeps the points even if scoring fails (the stage undoes its own writes).</summary>
    Task ScoreAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SeriesWrite> writes, CancellationToken cancellationToken);

    /// <summary>The group's transaction committed.</summary>
    void Committed();

    /// <summary>The group's transaction rolled back, or never began: in-memory state must forget the group's points.</summary>
    void RolledBack();
}
