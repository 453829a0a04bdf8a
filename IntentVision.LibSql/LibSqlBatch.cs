using System.Data;
using System.Data.Common;
using IntentVision.LibSql.Remote;

namespace IntentVision.LibSql;

/// <summary>
/// Several commands in one round trip, as one Hrana batch where each step runs only if the previous succeeded.
/// Inside a transaction the batch joins it; outside one, <see cref="Atomic"/> makes it all-or-nothing
/// (BEGIN IMMEDIATE, the steps, COMMIT, and ROLLBACK if anything failed). In either of those two cases,
/// consecutive single-row INSERTs with the same text are sent as multi-row INSERTs
/// (<see cref="LibSqlDataSourceOptions.CoalesceBatchInserts"/>).
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

    private async ValueTask<int> ExecuteNonQueryAsync(bool async, CancellationToken cancellationToken)
    {
        var executed = await ExecuteAsync(wantRows: false, async, cancellationToken).ConfigureAwait(false);
        return CommandExecution.CountAffected(executed.Results);
    }

    private async ValueTask<object?> ExecuteScalarAsync(bool async, CancellationToken cancellationToken)
    {
        var executed = await ExecuteAsync(wantRows: true, async, cancellationToken).ConfigureAwait(false);
        return CommandExecution.FirstScalar(executed.Results);
    }

    private async ValueTask<LibSqlDataReader> ExecuteReaderAsync(CommandBehavior behavior, bool async, CancellationToken cancellationToken)
    {
        var executed = await ExecuteAsync(wantRows: true, async, cancellationToken).ConfigureAwait(false);
        return CommandExecution.CreateReader(executed, behavior, Connection);
    }

    private async ValueTask<ExecutedStatements> ExecuteAsync(bool wantRows, bool async, CancellationToken cancellationToken)
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
        ExecutedStatements executed;
        try
        {
            executed = await CommandExecution.RunAsync(Connection, Transaction, inputs, isBatch: true, Atomic, wantRows, Timeout, async, running.Token).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, null);
        }

        for (var i = 0; i < executed.Plan.Count; i++)
        {
            var planned = executed.Plan[i];
            var result = executed.Results[i];
            if (result.Columns.Count > 0 && result.AffectedRowCount == 0)
            {
                continue;
            }

            if (planned.CommandCount > 1)
            {
                // A plain multi-row INSERT adds one row per VALUES tuple, i.e. one per original command.
                var each = result.AffectedRowCount == planned.CommandCount ? 1 : -1;
                for (var c = 0; c < planned.CommandCount; c++)
                {
                    commands[planned.CommandIndex + c].Affected = each;
                }
            }
            else
            {
                var command = commands[planned.CommandIndex];
                command.Affected = Math.Max(command.Affected, 0) + (int)result.AffectedRowCount;
            }
        }

        return executed;
    }
}
