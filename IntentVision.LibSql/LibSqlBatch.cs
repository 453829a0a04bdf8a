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
    private readonly CommandRun _run = new();

    public new LibSqlBatchCommandCollection BatchCommands { get; } = new();

    /// <summary>Seconds before the batch fails with a TIMEOUT error; 0 waits forever. Defaults to the connection's <see cref="LibSqlConnection.DefaultCommandTimeout"/>.</summary>
    public override int Timeout
    {
        get => _timeout ?? Connection?.DefaultTimeoutSeconds ?? 30;
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
        set => Connection = ProviderTypes.Require<LibSqlConnection>(value, nameof(LibSqlBatch));
    }

    protected override DbTransaction? DbTransaction
    {
        get => Transaction;
        set => Transaction = ProviderTypes.Require<LibSqlTransaction>(value, nameof(LibSqlBatch));
    }

    public override void Cancel() => _run.Cancel();

    public override void Prepare()
    {
    }

    public override Task PrepareAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override int ExecuteNonQuery() =>
        CommandRun.NonQueryAsync(ExecuteAsync(wantRows: false, async: false, CancellationToken.None)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken = default) =>
        CommandRun.NonQueryAsync(ExecuteAsync(wantRows: false, async: true, cancellationToken)).AsTask();

    public override object? ExecuteScalar() =>
        CommandRun.ScalarAsync(ExecuteAsync(wantRows: true, async: false, CancellationToken.None)).AsTask().GetAwaiter().GetResult();

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken = default) =>
        CommandRun.ScalarAsync(ExecuteAsync(wantRows: true, async: true, cancellationToken)).AsTask();

    public new LibSqlDataReader ExecuteReader(CommandBehavior behavior = CommandBehavior.Default) =>
        CommandRun.ReaderAsync(ExecuteAsync(wantRows: true, async: false, CancellationToken.None, behavior), behavior, Connection).AsTask().GetAwaiter().GetResult();

    public new Task<LibSqlDataReader> ExecuteReaderAsync(CancellationToken cancellationToken = default) =>
        CommandRun.ReaderAsync(ExecuteAsync(wantRows: true, async: true, cancellationToken, CommandBehavior.Default), CommandBehavior.Default, Connection).AsTask();

    protected override DbBatchCommand CreateDbBatchCommand() => new LibSqlBatchCommand();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => ExecuteReader(behavior);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await CommandRun.ReaderAsync(ExecuteAsync(wantRows: true, async: true, cancellationToken, behavior), behavior, Connection).ConfigureAwait(false);

    private ValueTask<StatementResults> ExecuteAsync(bool wantRows, bool async, CancellationToken cancellationToken, CommandBehavior? readerBehavior = null)
    {
        var commands = BatchCommands.Items;
        var inputs = new CommandInput[commands.Count];
        for (var i = 0; i < commands.Count; i++)
        {
            commands[i].Affected = -1;
            inputs[i] = new CommandInput(commands[i].CommandText, commands[i].Parameters.Items);
        }

        return _run.RunAsync(Connection, Transaction, inputs, commands, Atomic, wantRows, Timeout, async, cancellationToken, readerBehavior);
    }
}
