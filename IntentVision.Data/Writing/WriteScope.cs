using IntentVision.LibSql;

namespace IntentVision.Data.Writing;

/// <summary>What a <see cref="IWriteUnit{TResult}"/> writes through: the writer's connection, its transaction, and the group's clock.</summary>
/// <param name="mayDefer">See <see cref="MayDefer"/>.</param>
/// <param name="kept">The writer's <see cref="Kept{T}"/> state, one instance per type; null for a scope outside a writer.</param>
public sealed class WriteScope(LibSqlConnection connection, LibSqlTransaction transaction, DateTimeOffset now, bool mayDefer = false, Dictionary<Type, object>? kept = null)
{
    public LibSqlConnection Connection { get; } = connection;

    public LibSqlTransaction Transaction { get; } = transaction;

    /// <summary>The time of the group, the same for every unit in it (so the rows of one commit agree).</summary>
    public DateTimeOffset Now { get; } = now;

    /// <summary><see cref="Now"/> as stored in bookkeeping columns (ISO-8601 UTC).</summary>
    public string NowText { get; } = DbTime.ToText(now);

    /// <summary>
    /// The group's first attempt, on a server: a unit may defer writes whose answers it need not read
    /// (<see cref="LibSqlTransaction.DeferWrites"/>), so that they travel with the COMMIT instead of a request of their own.
    /// A deferred write that fails fails the attempt, nothing of it commits, and the writer runs the group again with
    /// every write awaited (then this is false), where the failing unit is undone alone.
    /// </summary>
    public bool MayDefer { get; } = mayDefer;

    /// <summary>
    /// State a kind of unit keeps on the writer from group to group (what earlier groups wrote), one instance per type,
    /// made on first use. Units run one at a time on the writer's loop, so it needs no lock; it is not rolled back with a
    /// group, so it may only hold what the database checks again (a hint, never a fact).
    /// </summary>
    public T Kept<T>()
        where T : class, new()
    {
        var all = kept ?? (_ownKept ??= []);
        if (!all.TryGetValue(typeof(T), out var state))
        {
            all[typeof(T)] = state = new T();
        }

        return (T)state;
    }

    private Dictionary<Type, object>? _ownKept;

    /// <summary>What was written ahead of its unit, by the key the writer and the unit agree on (compared by reference).</summary>
    private Dictionary<object, object>? _writtenAhead;

    /// <summary>Leaves what an <see cref="IWriteAhead"/> wrote for <paramref name="key"/>'s unit, for it to take when it runs.</summary>
    public void WroteAhead(object key, object written) =>
        (_writtenAhead ??= new Dictionary<object, object>(ReferenceEqualityComparer.Instance))[key] = written;

    /// <summary>Takes what was written ahead for <paramref name="key"/>: false when nothing was (the unit writes for itself).</summary>
    public bool TryTakeWrittenAhead<T>(object key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? written)
        where T : class
    {
        if (_writtenAhead is not null && _writtenAhead.Remove(key, out var value))
        {
            written = (T)value;
            return true;
        }

        written = null;
        return false;
    }
}
