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

    public override string? SqlState => Code;
}
