using System.Data.Common;

namespace IntentVision.LibSql;

/// <summary>
/// A failure reported by libSQL, the same on a file and on a server: the error code by the name Hrana gives it
/// (<c>SQLITE_CONSTRAINT_UNIQUE</c>, <c>SQLITE_BUSY</c>, <c>SQLITE_FULL</c>, <c>STREAM_EXPIRED</c>, <c>HTTP_401</c>, ...),
/// SQLite's extended result code when the failure came from the engine, and the statement that failed.
/// </summary>
public sealed class LibSqlException : DbException
{
    public LibSqlException(string message, string? code = null, string? statement = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Statement = statement;
        ExtendedCode = SqliteResultCodes.CodeOf(code);
    }

    /// <summary>The most specific code known: SQLite's extended name (<c>SQLITE_CONSTRAINT_NOTNULL</c>) or the protocol's (<c>STREAM_EXPIRED</c>).</summary>
    public string? Code { get; }

    /// <summary>
    /// SQLite's primary code name (<c>SQLITE_CONSTRAINT</c>) for engine failures, else <see cref="Code"/>. Compare this one
    /// when a decision must not depend on the backend: a server may know less of the extended code than the file does.
    /// </summary>
    public string? PrimaryCode => ExtendedCode is { } code ? SqliteResultCodes.NameOf(code & 0xff) : Code;

    /// <summary>SQLite's (extended) result code, e.g. 2067 for SQLITE_CONSTRAINT_UNIQUE; null for protocol and transport failures.</summary>
    public int? ExtendedCode { get; private init; }

    /// <summary>The SQL text that failed, when the failure belongs to one statement.</summary>
    public string? Statement { get; }

    /// <summary>The HTTP status of the response that carried the failure, when it was not 200.</summary>
    public int? HttpStatusCode { get; init; }

    public override string? SqlState => Code;

    /// <summary>
    /// True when trying the same work again later may succeed and cannot apply it twice (busy database, overloaded
    /// server, a request that never left, an open circuit). A broken connection (NETWORK_ERROR) is not transient in
    /// this sense: the request may have run; <see cref="Kind"/> still says the server is <see cref="LibSqlFailureKind.Unavailable"/>.
    /// </summary>
    public override bool IsTransient =>
        RequestNotSent
        || HttpStatusCode is 429 or 502 or 503 or 504
        || (ExtendedCode is { } extended && (extended & 0xff) == 5)
        || Code is "TIMEOUT" or "TRANSACTION_TIMEOUT" or "STREAM_EXPIRED" or CircuitOpenCode;

    /// <summary>What the failure says about the database: the answer a service gives depends on this, not on the code.</summary>
    public LibSqlFailureKind Kind => (ExtendedCode is { } code ? code & 0xff : -1) switch
    {
        5 or 6 => LibSqlFailureKind.Busy,
        13 or 10 => LibSqlFailureKind.Storage,
        8 => LibSqlFailureKind.ReadOnly,
        11 or 14 or 26 => LibSqlFailureKind.Damaged,
        _ when HttpStatusCode is 401 or 403 => LibSqlFailureKind.Refused,
        _ when Code is "TRANSACTION_TIMEOUT" or "TRANSACTION_ROLLED_BACK" => LibSqlFailureKind.Busy,
        _ when RequestNotSent || HttpStatusCode is 429 or 502 or 503 or 504
               || Code is "TIMEOUT" or "STREAM_EXPIRED" or "NETWORK_ERROR" or "CONNECTION_FAILED" or "STREAM_CLOSED" or CircuitOpenCode => LibSqlFailureKind.Unavailable,
        _ => LibSqlFailureKind.Statement,
    };

    /// <summary>When the caller may try again, where the failure knows (an open circuit knows when it half-opens).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The code of a failure refused by the data source's circuit breaker without contacting the server.</summary>
    public const string CircuitOpenCode = "CIRCUIT_OPEN";

    /// <summary>The request never reached the server (connection refused, circuit open), so nothing of it ran and sending it again cannot apply anything twice.</summary>
    public bool RequestNotSent { get; internal init; }

    /// <summary>
    /// The server refused the request's stream before running anything: it no longer knows the baton (the stream expired,
    /// or the server restarted since). A request that opened a stream of its own would not have been refused so.
    /// </summary>
    internal bool StreamUnknown { get; init; }

    /// <summary>
    /// The transaction failed before its COMMIT ran, because a write deferred to a later request
    /// (<see cref="LibSqlTransaction.DeferWrites"/>) failed there: it rolled back, and nothing of it was committed. Its work
    /// may be run again, each write awaited, to learn which part failed.
    /// </summary>
    public bool FailedBeforeCommit { get; internal init; }

    /// <summary>A copy marked <see cref="FailedBeforeCommit"/>.</summary>
    internal LibSqlException BeforeCommit() => Copy(Statement, failedBeforeCommit: true);

    /// <summary>
    /// A later failure caused by <paramref name="cause"/> (a statement or COMMIT of a transaction it ended): its code, and
    /// whether nothing of the transaction committed.
    /// </summary>
    internal static LibSqlException CausedBy(string message, LibSqlException cause, string? statement) =>
        new(message, cause.Code, statement, cause) { FailedBeforeCommit = cause.FailedBeforeCommit };

    /// <summary>An engine failure with its extended result code, raised by the file or reported by a server.</summary>
    internal static LibSqlException FromEngine(string message, int extendedCode, string? statement, Exception? innerException = null) =>
        new(message, SqliteResultCodes.NameOf(extendedCode), statement, innerException) { ExtendedCode = extendedCode };

    /// <summary>A copy that names the statement, for failures raised below the level that knows it.</summary>
    internal LibSqlException WithStatement(string? statement) =>
        statement is null || Statement is not null
            ? this
            : Copy(statement, FailedBeforeCommit);

    private LibSqlException Copy(string? statement, bool failedBeforeCommit) =>
        new(Message, Code, statement, InnerException) { HttpStatusCode = HttpStatusCode, RequestNotSent = RequestNotSent, ExtendedCode = ExtendedCode, RetryAfter = RetryAfter, FailedBeforeCommit = failedBeforeCommit, StreamUnknown = StreamUnknown };
}
