namespace IntentVision.LibSql;

/// <summary>Tunables of a <see cref="LibSqlDataSource"/>; the defaults suit a web service.</summary>
public sealed record LibSqlDataSourceOptions
{
    /// <summary>
    /// How long a statement waits for a lock held by another writer before failing with SQLITE_BUSY. On a server this
    /// is also the deadline within which an autocommit write that met SQLITE_BUSY is retried.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Default timeout of one command (one HTTP request on a server).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a <see cref="LibSqlBatch"/> that runs in a transaction (or <see cref="LibSqlBatch.Atomic"/>) may send
    /// consecutive commands with the same single-row <c>INSERT ... VALUES (...)</c> text as one multi-row INSERT.
    /// Many times faster for bulk loads; the only visible difference is that a failing row also undoes the rows sent in
    /// the same statement, which an all-or-nothing batch undoes anyway.
    /// </summary>
    public bool CoalesceBatchInserts { get; init; } = true;
}
