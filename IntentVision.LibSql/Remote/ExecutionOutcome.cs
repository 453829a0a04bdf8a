using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Remote;

/// <summary>What a response means for the statements sent: their results, or the first error and whether resending is safe.</summary>
internal sealed record ExecutionOutcome(
    HranaStatementResult[]? Results,
    HranaError? Error,
    PlannedStatement? FailedStatement,
    string? StatementText,
    bool SafeToRetry,
    bool BeginSucceeded)
{
    public static ExecutionOutcome Succeeded(HranaStatementResult[] results, bool beginSucceeded) =>
        new(results, null, null, null, false, beginSucceeded);

    public static ExecutionOutcome Failed(HranaError error, PlannedStatement? statement, bool safeToRetry, bool beginSucceeded = false, string? statementText = null) =>
        new(null, error, statement, statementText ?? statement?.Source.Sql, safeToRetry, beginSucceeded);

    public LibSqlException ToException()
    {
        var error = Error!;
        var message = RemoteExecutor.Describe(error, StatementText);
        if (FailedStatement is { CommandCount: > 1 } coalesced)
        {
            message += $" (in the multi-row INSERT that carried batch commands {coalesced.CommandIndex}..{coalesced.CommandIndex + coalesced.CommandCount - 1}; none of them was applied)";
        }

        return SqliteResultCodes.RefineServerCode(error.Code, error.Message) is { } extended
            ? LibSqlException.FromEngine(message, extended, StatementText)
            : new LibSqlException(message, error.Code, StatementText);
    }
}
