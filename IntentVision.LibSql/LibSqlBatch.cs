using System.Data;
using System.Data.Common;
using IntentVision.LibSql.Execution;

namespace IntentVision.LibSql;

/// <summary>
/// Several commands run as one: each runs only if the previous succeeded. Inside a transaction the batch joins it;
/// outside one, <see cref="Atomic"/> makes it all-or-nothing (BEGIN IMMEDIATE, the commands, COMMIT, and ROLLBACK if
/// anything failed). The way to write many rows fast on either backend: on a server the batch is one round trip and,
/// in a transaction or atomic, consecutive single-row INSERTs (upserts too) with the same text travel as multi-row
/// INSERTs (<see cref="LibSqlDataSourceOptions.CoalesceBatchInserts"/>); on a file one prepared statement is stepped
/// per command, re-binding only the parameter values that changed from the command before.
/// </summary>
public sealed class LibSqlBatch : DbBatch
{
    private int? _timeout;
    private CancellationTokenSource? _running;

    public new LibSqlBatchCommandCollection BatchCommands { get; } = new();

    /// <summary>Seconds before the batch fails with a TIMEOUT error; 0 waits forever. Defaults to the data source's CommandTimeout.</summary>
    public override int Timeout
    {
        get => _timeout ?? (Connection is null ? 30 : (int)Math.Ceiling(Connection.Options.CommandTimeout.TotalSeconds));
        set => _timeout = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The timeout cannot be negative.");
    }

    public new LibSqlConnection? Connection { get; set; }

    public new LibSqlTransaction? Transaction { get; set; }

    /// <summary>Outside a transaction: run all commands or none. Ignored inside a transaction, which decides for itself.</summary>
    public bool Atomic { get; set; }

    protected override DbBatchCommandCollection DbBatchCommands => BatchCommands;

    protected override DbConnection? DbConnection
    {
        get => Connection;
        set => Connection = value switch
        {
            null => null,
            LibSqlConnection libSql => libSql,
            _ => throw new ArgumentException($"A {nameof(LibSqlBatch)} needs a {nameof(LibSqlConnection)}.", nameof(value)),
        };
    }

    protected override DbTransaction? DbTransaction
    {
        get => Transaction;
        set => Transaction = value switch
        {
            null => null,
            LibSqlTransaction libSql => libSql,
            _ => throw new ArgumentException($"A {nameof(LibSqlBatch)} needs a {nameof(LibSqlTransaction)}.", nameof(value)),
        };
    }

    public override void Cancel() => Volatile.Read(ref _running)?.Cancel();

    public override void Prepare()
    {
    }

    public override Task PrepareAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override int ExecuteNonQuery() => ExecuteNonQueryAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken = default) => ExecuteNonQueryAsync(async: true, cancellationToken).AsTask();

    public override object? ExecuteScalar() => ExecuteScalarAsync(async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken = default) => ExecuteScalarAsync(async: true, cancellationToken).AsTask();

    public new LibSqlDataReader ExecuteReader(CommandBehavior behavior = CommandBehavior.Default) =>
        ExecuteReaderAsync(behavior, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public new Task<LibSqlDataReader> ExecuteReaderAsync(CancellationToken cancellationToken = default) =>
        ExecuteReaderAsync(CommandBehavior.Default, async: true, cancellationToken).AsTask();

    protected override DbBatchCommand CreateDbBatchCommand() => new LibSqlBatchCommand();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReader(behavior);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await ExecuteReaderAsync(behavior, async: true, cancellationToken).ConfigureAwait(false);

    private async ValueTask<int> ExecuteNonQueryAsync(bool async, CancellationToken cancellationToken) =>
        (await ExecuteAsync(wantRows: false, async, cancellationToken).ConfigureAwait(false)).Drain();

    private async ValueTask<object?> ExecuteScalarAsync(bool async, CancellationToken cancellationToken) =>
        (await ExecuteAsync(wantRows: true, async, cancellationToken).ConfigureAwait(false)).FirstScalarThenDrain();

    private async ValueTask<LibSqlDataReader> ExecuteReaderAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken)
    {
        var results = await ExecuteAsync(wantRows: true, async, cancellationToken).ConfigureAwait(false);
        return new LibSqlDataReader(results, (behavior & CommandBehavior.CloseConnection) != 0 ? Connection : null);
    }

    private async ValueTask<StatementResults> ExecuteAsync(bool wantRows, bool async, CancellationToken cancellationToken)
    {
        var commands = BatchCommands.Items;
        var inputs = new CommandInput[commands.Count];
        for (var i = 0; i < commands.Count; i++)
        {
            commands[i].Affected = -1;
            inputs[i] = new CommandInput(commands[i].CommandText, commands[i].Parameters.Items);
        }

        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Volatile.Write(ref _running, running);
        try
        {
            return await CommandExecution.RunAsync(Connection, Transaction, inputs, commands, Atomic, wantRows, Timeout, async, running.Token).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, null);
        }
    }
}
