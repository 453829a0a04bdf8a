namespace IntentVision.Data.Writing;

/// <summary>
/// A unit whose writes may go ahead of it on a server: on a group's first attempt the <see cref="DatabaseWriter"/> hands
/// every such unit of the group to its <see cref="WriteAhead"/> before any unit runs, so their writes share one round trip
/// instead of one each; each unit then finds its writes done (<see cref="WriteScope.TryTakeWrittenAhead{T}"/>).
/// </summary>
public interface IWriteAheadUnit
{
    /// <summary>What writes this unit ahead, together with the other units it writes; null when the unit must run alone (it reads before it writes).</summary>
    IWriteAhead? WriteAhead { get; }
}

/// <summary>Writes units of one kind together, ahead of them (see <see cref="IWriteAheadUnit"/>).</summary>
public interface IWriteAhead
{
    /// <summary>
    /// Writes <paramref name="units"/> (in the group's order) through <paramref name="scope"/> and leaves each unit what it
    /// will need (<see cref="WriteScope.WroteAhead"/>). What is written ahead lies outside the units' savepoints, so a
    /// unit written ahead runs without one, and its failure (here or when it runs) fails the attempt: throw
    /// <see cref="WriteAheadRefusedException"/> when a unit cannot be written this way (the database refused its writes);
    /// the group is rolled back and runs again, unit by unit, each under its savepoint.
    /// </summary>
    Task WriteAheadAsync(WriteScope scope, IReadOnlyList<IWriteAheadUnit> units, CancellationToken cancellationToken);
}
