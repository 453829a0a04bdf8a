namespace IntentVision.LibSql;

/// <summary>Tunables of a <see cref="LibSqlDataSource"/>; the defaults suit a web service.</summary>
public sealed record LibSqlDataSourceOptions
{
    /// <summary>
    /// How long a statement waits for a lock held by another writer before failing with SQLITE_BUSY. On a server this
    /// is also the deadline within which an autocommit write that met SQLITE_BUSY is retried.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Default timeout of one command (one HTTP request on a server). A connection can set its own
    /// (<see cref="LibSqlConnection.DefaultCommandTimeout"/>) and a command its own (<c>CommandTimeout</c>).
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On a server: after this many consecutive failures to reach it (refused or broken connections, timeouts, HTTP
    /// 502/503/504) requests fail at once with CIRCUIT_OPEN for <see cref="CircuitBreakDuration"/>, then one request
    /// tries the server again. 0 turns the breaker off. A file has no breaker.
    /// </summary>
    public int CircuitFailureThreshold { get; init; } = 3;

    /// <summary>How long an open circuit refuses requests before one is let through to try the server.</summary>
    public TimeSpan CircuitBreakDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether a <see cref="LibSqlBatch"/> that runs in a transaction (or <see cref="LibSqlBatch.Atomic"/>) may send
    /// consecutive commands with the same single-row <c>INSERT ... VALUES (...)</c> text as one multi-row INSERT.
    /// Many times faster for bulk loads; the only visible difference is that a failing row also undoes the rows sent in
    /// the same statement, which an all-or-nothing batch undoes anyway.
    /// </summary>
    public bool CoalesceBatchInserts { get; init; } = true;

    /// <summary>
    /// On a file: the most each pooled handle keeps in SQLite's page cache, in KiB (SQLite's own default is 2,000 KiB).
    /// Filled only with pages a handle touches. An ingest that appends to many series touches the newest leaf of each and
    /// the pages above them; with tens of millions of points those outgrow 2 MB and every append would re-read them
    /// from the operating system. 0 keeps SQLite's default.
    /// </summary>
    public int EmbeddedPageCacheKib { get; init; } = 32 * 1024;

    /// <summary>
    /// On a server: how many streams stay open between commands for the next command or transaction to go on. Opening a
    /// stream costs the server a new SQLite connection (on sqld about 1 ms of its CPU, as much as a few hundred rows
    /// written), so commands that reuse one answer sooner and leave the server more time for everything else. A stream
    /// is kept only outside any transaction and when no statement changed its connection (PRAGMA, ATTACH, a schema
    /// change); connection-wide values such as <c>last_insert_rowid()</c> and <c>changes()</c> carry over from one command
    /// to the next, as on a pooled file connection. 0 closes every stream after its command or transaction.
    /// </summary>
    public int IdleStreams { get; init; } = 8;

    /// <summary>
    /// How long a kept stream may wait for its next command before it is dropped. sqld expires a stream after 10 s without
    /// a request; a stream the server has forgotten (past that, or after a restart) is refused before anything runs on it,
    /// and the command goes on a new stream.
    /// </summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// On a server: whether to ask for compressed responses (gzip, deflate, brotli). sqld compresses every response it is
    /// asked to, which costs it CPU (measured here: a 500-row result 1.13 ms of sqld CPU compressed against 0.83 ms plain)
    /// and the client more to inflate: worth it only where bandwidth is dear. Null (the default) asks over TLS
    /// (<c>https://</c>, <c>libsql://</c>: Turso, across a WAN) and not over plain <c>http://</c> (a server on the same
    /// host or private network).
    /// </summary>
    public bool? CompressResponses { get; init; }
}
