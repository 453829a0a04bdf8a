using IntentVision.LibSql;

namespace IntentVision.Data.Writing;

/// <summary>What a <see cref="IWriteUnit{TResult}"/> writes through: the writer's connection, its transaction, and the group's clock.</summary>
public sealed class WriteScope(LibSqlConnection connection, LibSqlTransaction transaction, DateTimeOffset now)
{
    public LibSqlConnection Connection { get; } = connection;

    public LibSqlTransaction Transaction { get; } = transaction;

    /// <summary>The time of the group, the same for every unit in it (so the rows of one commit agree).</summary>
    public DateTimeOffset Now { get; } = now;

    /// <summary><see cref="Now"/> as stored in bookkeeping columns (ISO-8601 UTC).</summary>
    public string NowText { get; } = DbTime.ToText(now);

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
