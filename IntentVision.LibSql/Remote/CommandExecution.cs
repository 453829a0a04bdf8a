using System.Data;
using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Remote;

/// <summary>What commands and batches share: checks, planning, the one-command-at-a-time guard, and the call to the executor.</summary>
internal static class CommandExecution
{
    public static async ValueTask<ExecutedStatements> RunAsync(
        LibSqlConnection? connection,
        LibSqlTransaction? requestedTransaction,
        IReadOnlyList<CommandInput> commands,
        bool isBatch,
        bool atomic,
        bool wantRows,
        int timeoutSeconds,
        bool async,
        CancellationToken cancellationToken)
    {
        if (connection is null)
        {
            throw new InvalidOperationException("The command has no connection: set Connection to an open LibSqlConnection.");
        }

        connection.EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        var transaction = connection.ResolveTransaction(requestedTransaction);
        var coalesce = isBatch && connection.Options.CoalesceBatchInserts && (atomic || transaction is not null);
        var plan = StatementPlanner.Plan(commands, connection.SqlCache, coalesce, wantRows);
        var operation = plan.Count switch
        {
            0 => "EMPTY",
            1 => plan[0].Source.Verb,
            _ when isBatch => "BATCH",
            _ => plan[0].Source.Verb,
        };

        connection.EnterCommand();
        try
        {
            var results = await connection.Executor
                .ExecuteAsync(plan, transaction?.State, atomic && transaction is null, timeoutSeconds, operation, async, cancellationToken)
                .ConfigureAwait(false);
            return new ExecutedStatements(plan, results);
        }
        finally
        {
            connection.ExitCommand();
        }
    }

    /// <summary>
    /// Rows changed by the statements, as ADO.NET's RecordsAffected: the sum over statements that can change rows
    /// (those without result columns, or with RETURNING rows that changed some), or -1 when there was none.
    /// </summary>
    public static int CountAffected(IEnumerable<HranaStatementResult> results)
    {
        long total = 0;
        var any = false;
        foreach (var result in results)
        {
            if (result.Columns.Count == 0 || result.AffectedRowCount > 0)
            {
                total += result.AffectedRowCount;
                any = true;
            }
        }

        return any ? (int)Math.Min(total, int.MaxValue) : -1;
    }

    /// <summary>ExecuteScalar's answer: the first column of the first row of the first statement that has columns.</summary>
    public static object? FirstScalar(IEnumerable<HranaStatementResult> results)
    {
        foreach (var result in results)
        {
            if (result.Columns.Count > 0)
            {
                return result.RowCount > 0 ? result.Values[0].ToObject() : null;
            }
        }

        return null;
    }

    /// <summary>The reader over what a command or a batch returned; it closes <paramref name="connection"/> when asked to.</summary>
    public static LibSqlDataReader CreateReader(ExecutedStatements executed, CommandBehavior behavior, LibSqlConnection? connection) =>
        new(executed.Results, CountAffected(executed.Results), (behavior & CommandBehavior.CloseConnection) != 0 ? connection : null);
}
