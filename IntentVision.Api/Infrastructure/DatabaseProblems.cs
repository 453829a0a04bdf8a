using IntentVision.Data.Writing;
using IntentVision.LibSql;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Infrastructure;

/// <summary>
/// What a database failure means to a client, by its cause: 503 with Retry-After while the database is busy,
/// unreachable, slow, read-only or damaged; 507 with Retry-After when its disk is full. The problem names the cause
/// (<c>cause</c>, e.g. <c>database_unavailable</c>) and the engine's code (<c>code</c>, e.g. <c>SQLITE_FULL</c>), and says
/// whether the write may have been applied; it never carries the exception's text. A failure of the statement itself is
/// a bug: it maps to nothing here, and the API answers 500.
/// </summary>
internal static class DatabaseProblems
{
    /// <summary>How long a client waits after a busy database: the writer's retries already spent their share.</summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>A server that does not answer: about the circuit breaker's break.</summary>
    public static readonly TimeSpan UnavailableRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>Disk full, read-only, damaged, refused: an operator must act; clients back off longer.</summary>
    public static readonly TimeSpan OperatorRetryAfter = TimeSpan.FromSeconds(10);

    private const string RetryWithKey = "Retry with the same Idempotency-Key: the batch is then applied once, or its first answer replayed.";

    public static MappedProblem? Map(Exception exception) => exception switch
    {
        LibSqlException database => Map(database),
        WriteTimeoutException timeout => Problem(
            StatusCodes.Status503ServiceUnavailable,
            "database_timeout",
            null,
            "The database did not answer in time.",
            timeout.NothingWritten
                ? "The write waited for the database longer than the service allows and was dropped; nothing was written. Retry shortly."
                : "The write was under way when the service stopped waiting; it may have been applied. " + RetryWithKey,
            BusyRetryAfter),
        WriterStoppedException => Problem(
            StatusCodes.Status503ServiceUnavailable,
            "service_stopping",
            null,
            "The service is shutting down.",
            "Nothing was written. Retry against a running instance.",
            BusyRetryAfter),
        _ => null,
    };

    private static MappedProblem? Map(LibSqlException e) => e.Kind switch
    {
        LibSqlFailureKind.Busy => Problem(
            StatusCodes.Status503ServiceUnavailable,
            "database_busy",
            e.Code,
            "The database is busy.",
            "Another writer held the database's write lock for too long; nothing was written. Retry shortly.",
            BusyRetryAfter),
        LibSqlFailureKind.Unavailable => Problem(
            StatusCodes.Status503ServiceUnavailable,
            "database_unavailable",
            e.Code,
            "The database is unavailable.",
            Unavailable(e),
            e.RetryAfter is { } after && after > TimeSpan.Zero ? after : UnavailableRetryAfter),
        LibSqlFailureKind.Storage => Problem(
            StatusCodes.Status507InsufficientStorage,
            e.PrimaryCode == "SQLITE_FULL" ? "database_full" : "database_storage_error",
            e.Code,
            "The database's storage is full.",
            e.PrimaryCode == "SQLITE_FULL"
                ? "The database has no room for the write; nothing was written. Retry once space is freed."
                : "The database could not write to its storage (a full or failing disk: a libSQL server reports a full disk as an I/O error); nothing was written. Retry once space is freed.",
            OperatorRetryAfter),
        LibSqlFailureKind.ReadOnly => Problem(
            StatusCodes.Status503ServiceUnavailable,
            "database_read_only",
            e.Code,
            "The database refuses writes.",
            "The database is read-only at the moment (its file, folder or disk); nothing was written. Retry later.",
            OperatorRetryAfter),
        LibSqlFailureKind.Damaged => Problem(
            StatusCodes.Status503ServiceUnavailable,
            "database_damaged",
            e.Code,
            "The database cannot be used.",
            "The database reported an I/O error or damage; nothing was written. Retry later.",
            OperatorRetryAfter),
        LibSqlFailureKind.Refused => Problem(
            StatusCodes.Status503ServiceUnavailable,
            "database_refused",
            e.Code,
            "The database refused the service.",
            "The database server refused this service's credentials; nothing was written. Retry later.",
            OperatorRetryAfter),
        _ => null,
    };

    private static string Unavailable(LibSqlException e) =>
        e.Code == LibSqlException.CircuitOpenCode ? "The database server failed repeatedly and is given a pause; nothing was sent to it. Retry after the pause."
        : e.RequestNotSent ? "The database server could not be reached; nothing was written. Retry shortly."
        : "The database server did not answer (in time); a write may have been applied. " + RetryWithKey;

    private static MappedProblem Problem(int status, string cause, string? code, string title, string detail, TimeSpan retryAfter)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["cause"] = cause;
        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }

        return new MappedProblem(problem, retryAfter);
    }
}
