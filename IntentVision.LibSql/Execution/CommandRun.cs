using System.Data;

namespace IntentVision.LibSql.Execution;

/// <summary>
/// What a command and a batch share around running: the checks, the one-command-at-a-time guard, the call to the
/// connection's session, cancelling the run in flight, and the three ADO.NET answers made from its results.
/// </summary>
internal sealed class CommandRun
{
    private CancellationTokenSource? _running;

    /// <summary>Cancels the run in flight, if any; its outcome on a server is then unknown.</summary>
    public void Cancel() => Volatile.Read(ref _running)?.Cancel();

    public static async ValueTask<int> NonQueryAsync(ValueTask<StatementResults> running) =>
        (await running.ConfigureAwait(false)).Drain();

    public static async ValueTask<object?> ScalarAsync(ValueTask<StatementResults> running) =>
        (await running.ConfigureAwait(false)).FirstScalarThenDrain();

    public static async ValueTask<LibSqlDataReader> ReaderAsync(ValueTask<StatementResults> running, CommandBehavior behavior, LibSqlConnection? connection) =>
        new(await running.ConfigureAwait(false), (behavior & CommandBehavior.CloseConnection) != 0 ? connection : null);

    public async ValueTask<StatementResults> RunAsync(
        LibSqlConnection? connection,
        LibSqlTransaction? requestedTransaction,
        IReadOnlyList<CommandInput> commands,
        IReadOnlyList<LibSqlBatchCommand>? batchCommands,
        bool atomic,
        bool wantRows,
        int timeoutSeconds,
        bool async,
        CancellationToken cancellationToken,
        CommandBehavior? readerBehavior = null)
    {
        if (connection is null)
        {
            throw new InvalidOperationException("The command has no connection: set Connection to an open LibSqlConnection.");
        }

        var session = connection.EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        var transaction = connection.ResolveTransaction(requestedTransaction);
        var request = new ExecutionRequest(commands, batchCommands, transaction, atomic && transaction is null, wantRows, timeoutSeconds, Operation(connection, commands, batchCommands is not null), readerBehavior);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Volatile.Write(ref _running, running);
        connection.EnterCommand();
        try
        {
            return await session.ExecuteAsync(request, async, running.Token).ConfigureAwait(false);
        }
        finally
        {
            connection.ExitCommand();
            Volatile.Write(ref _running, null);
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
