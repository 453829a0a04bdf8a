namespace IntentVision.LibSql.Execution;

/// <summary>What commands and batches share: the checks, the one-command-at-a-time guard, and the call to the session.</summary>
internal static class CommandExecution
{
    public static async ValueTask<StatementResults> RunAsync(
        LibSqlConnection? connection,
        LibSqlTransaction? requestedTransaction,
        IReadOnlyList<CommandInput> commands,
        IReadOnlyList<LibSqlBatchCommand>? batchCommands,
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

        var session = connection.EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        var transaction = connection.ResolveTransaction(requestedTransaction);
        var request = new ExecutionRequest(commands, batchCommands, transaction, atomic && transaction is null, wantRows, timeoutSeconds, Operation(connection, commands, batchCommands is not null));
        connection.EnterCommand();
        try
        {
            return await session.ExecuteAsync(request, async, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connection.ExitCommand();
        }
    }

    /// <summary>The span and metric name: a single statement's verb (SELECT, INSERT, ...), BATCH for a batch of several commands.</summary>
    private static string Operation(LibSqlConnection connection, IReadOnlyList<CommandInput> commands, bool isBatch)
    {
        if (commands.Count == 0)
        {
            return "EMPTY";
        }

        if (isBatch && commands.Count > 1)
        {
            return "BATCH";
        }

        var statements = connection.SqlCache.Get(commands[0].CommandText).Statements;
        return statements.Count == 0 ? "EMPTY" : statements[0].Verb;
    }
}
