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
}
