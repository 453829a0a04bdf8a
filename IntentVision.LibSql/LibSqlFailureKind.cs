namespace IntentVision.LibSql;

/// <summary>
/// What a <see cref="LibSqlException"/> says about the database, the same on a file and on a server, so a service can
/// answer a failure by its cause (come back later, the disk is full, the database refuses writes) without reading codes.
/// </summary>
public enum LibSqlFailureKind
{
    /// <summary>The statement itself failed (a constraint, a syntax error, a type mismatch): the caller's bug or input, not the database's state.</summary>
    Statement,

    /// <summary>
    /// Another writer held the lock for too long (SQLITE_BUSY, SQLITE_LOCKED, or a server's TRANSACTION_TIMEOUT, which
    /// rolled the transaction back): trying again shortly may succeed.
    /// </summary>
    Busy,

    /// <summary>
    /// The server could not be reached or did not answer in time: connection refused, the connection broke, an HTTP
    /// 429, 502, 503 or 504, an expired stream, a command timeout (TIMEOUT), or the circuit is open (CIRCUIT_OPEN).
    /// A write's outcome may be unknown unless <see cref="LibSqlException.IsTransient"/> says the request never left.
    /// </summary>
    Unavailable,

    /// <summary>
    /// The storage refuses the write: the disk (or the database's page limit) is full (SQLITE_FULL), or writing to it
    /// failed (SQLITE_IOERR; sqld reports a full disk this way, since its own write-ahead log meets ENOSPC). Nothing was
    /// written; it works again once space is freed (or the disk repaired).
    /// </summary>
    Storage,

    /// <summary>The database refuses writes (SQLITE_READONLY: a read-only file or folder, a read-only mount).</summary>
    ReadOnly,

    /// <summary>
    /// The database file cannot be used as it is: corrupt (SQLITE_CORRUPT, SQLITE_NOTADB) or it cannot be opened
    /// (SQLITE_CANTOPEN). It needs an operator, though a connection reopened later may work.
    /// </summary>
    Damaged,

    /// <summary>The server refused the credentials (HTTP 401 or 403): the service's token is missing, expired or read-only.</summary>
    Refused,
}
