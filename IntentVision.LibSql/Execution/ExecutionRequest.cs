namespace IntentVision.LibSql.Execution;

/// <summary>What a command or a batch asks its connection's session to run.</summary>
/// <param name="Commands">The command texts and their parameters, in order.</param>
/// <param name="BatchCommands">For a batch: its commands, which receive their own RecordsAffected as they run.</param>
/// <param name="Transaction">The connection's transaction the commands join, if any.</param>
/// <param name="Atomic">Outside a transaction: all commands or none.</param>
/// <param name="WantRows">False when nobody reads the rows (ExecuteNonQuery), so a server sends none.</param>
/// <param name="TimeoutSeconds">0 waits forever.</param>
/// <param name="Operation">The span and metric name: the statement's verb, or BATCH.</param>
/// <param name="ReaderBehavior">For ExecuteReader: how the reader was asked for (a server streams its rows then, see CursorExecutor).</param>
internal readonly record struct ExecutionRequest(
    IReadOnlyList<CommandInput> Commands,
    IReadOnlyList<LibSqlBatchCommand>? BatchCommands,
    LibSqlTransaction? Transaction,
    bool Atomic,
    bool WantRows,
    int TimeoutSeconds,
    string Operation,
    System.Data.CommandBehavior? ReaderBehavior = null);
