using System.Data.Common;

namespace IntentVision.LibSql;

/// <summary>
/// A failure reported by libSQL: carries the engine's or the Hrana protocol's error code
/// (<c>SQLITE_CONSTRAINT</c>, <c>STREAM_EXPIRED</c>, <c>TRANSACTION_TIMEOUT</c>, <c>HTTP_401</c>, ...) and the statement that failed.
/// </summary>
public sealed class LibSqlException : DbException
{
    public LibSqlException(string message, string? code = null, string? statement = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Statement = statement;
    }

    /// <summary>The Hrana or SQLite error code, when the server or engine gave one.</summary>
    public string? Code { get; }

    /// <summary>The SQL text that failed, when the failure belongs to one statement.</summary>
    public string? Statement { get; }

    /// <summary>The HTTP status of the response that carried the failure, when it was not 200.</summary>
    public int? HttpStatusCode { get; init; }

    public override string? SqlState => Code;

    /// <summary>True when trying the same work again later may succeed (busy database, overloaded or unreachable server).</summary>
    public override bool IsTransient =>
        RequestNotSent
        || HttpStatusCode is 429 or 502 or 503 or 504
        || (Code is not null && (Code.StartsWith("SQLITE_BUSY", StringComparison.Ordinal) || Code is "TIMEOUT" or "TRANSACTION_TIMEOUT" or "STREAM_EXPIRED"));

    /// <summary>The request never reached the server (connection refused), so sending it again cannot apply anything twice.</summary>
    internal bool RequestNotSent { get; init; }

    /// <summary>A copy that names the statement, for failures raised below the level that knows it.</summary>
    internal LibSqlException WithStatement(string? statement) =>
        statement is null || Statement is not null
            ? this
            : new LibSqlException(Message, Code, statement, InnerException) { HttpStatusCode = HttpStatusCode, RequestNotSent = RequestNotSent };
}
