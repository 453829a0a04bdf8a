namespace IntentVision.Data.Writing;

/// <summary>
/// Takes part in every group transaction of the <see cref="DatabaseWriter"/> without the writer knowing what it does
/// (anomaly detection scores the points a group stores, in the same transaction). For each group, in order:
/// <see cref="Begin"/>, <see cref="BeforeCommitAsync"/>, on a server perhaps <see cref="Upcoming"/>, then
/// <see cref="Committed"/> or <see cref="RolledBack"/>.
/// Groups never overlap: there is one writer.
/// </summary>
public interface IWriteGroupParticipant
{
    /// <summary>
    /// The group's units, in order, once its transaction is open and before any of them runs: work that does not need
    /// the database may start here on other threads, overlapping the writes.
    /// </summary>
    void Begin(IReadOnlyList<object> units);

    /// <summary>
    /// After the units ran and before COMMIT, on the writer's scope: the units that succeeded (a failed unit was rolled
    /// back to its savepoint and is not listed) with their results. What is written through <paramref name="scope"/>
    /// commits or rolls back with them; an exception fails the whole group. On a server, writes whose results are not read
    /// travel with the COMMIT (<see cref="IntentVision.LibSql.LibSqlTransaction.DeferWrites"/>: they return -1 rows
    /// affected); if one fails there, nothing commits and the group runs again with every write awaited, so a failure the
    /// participant undoes under its own savepoint still lets the units commit.
    /// </summary>
    Task BeforeCommitAsync(WriteScope scope, IReadOnlyList<WrittenUnit> written, CancellationToken cancellationToken);

    /// <summary>
    /// On a server, while a group's COMMIT is on its way: units that arrived meanwhile, which the writer has taken for its
    /// next group, in order (perhaps in several calls). Work for them that needs nothing this group writes may start now,
    /// overlapping the round trip. The next group's <see cref="Begin"/> lists them first (perhaps with more after them),
    /// unless this group fails and runs again first, or they give up waiting; nothing of them is written yet. Called
    /// within this group, before <see cref="Committed"/> or <see cref="RolledBack"/>.
    /// </summary>
    void Upcoming(IReadOnlyList<object> units)
    {
    }

    /// <summary>The group committed; called before its callers get their results. Must not throw.</summary>
    void Committed();

    /// <summary>The group rolled back (or never reached COMMIT): nothing of it was written. Must not throw.</summary>
    void RolledBack();
}
