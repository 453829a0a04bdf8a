using System.Data;
using System.Data.Common;
using IntentVision.LibSql.Remote;

namespace IntentVision.LibSql;

/// <summary>
/// An interactive transaction on a libSQL server: BEGIN (sent with the first command), commands over several
/// requests chained by the stream's baton, then COMMIT or ROLLBACK together with closing the stream. Disposing it
/// without committing rolls back. If the server ends it first (the stream expired after 10 s idle, or another writer
/// took its lock: TRANSACTION_TIMEOUT), every later command and the commit fail with that code.
/// </summary>
public sealed class LibSqlTransaction : DbTransaction
{
    private LibSqlConnection? _connection;

    internal LibSqlTransaction(LibSqlConnection connection, IsolationLevel isolationLevel, bool deferred)
    {
        _connection = connection;
        IsolationLevel = isolationLevel;
        State = new RemoteTransactionState(deferred ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");
    }

    /// <summary>The connection, until the transaction completes.</summary>
    public new LibSqlConnection? Connection => _connection;

    public override IsolationLevel IsolationLevel { get; }

    public override bool SupportsSavepoints => true;

    internal RemoteTransactionState State { get; }

    protected override DbConnection? DbConnection => _connection;

    public override void Commit() => CompleteAsync(commit: true, quiet: false, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task CommitAsync(CancellationToken cancellationToken = default) => CompleteAsync(commit: true, quiet: false, async: true, cancellationToken).AsTask();

    public override void Rollback() => CompleteAsync(commit: false, quiet: false, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task RollbackAsync(CancellationToken cancellationToken = default) => CompleteAsync(commit: false, quiet: false, async: true, cancellationToken).AsTask();

    public override void Save(string savepointName) => RunSavepointCommand($"SAVEPOINT {Quote(savepointName)}");

    public override void Rollback(string savepointName) => RunSavepointCommand($"ROLLBACK TO SAVEPOINT {Quote(savepointName)}");

    public override void Release(string savepointName) => RunSavepointCommand($"RELEASE SAVEPOINT {Quote(savepointName)}");

    public override Task SaveAsync(string savepointName, CancellationToken cancellationToken = default) =>
        RunSavepointCommandAsync($"SAVEPOINT {Quote(savepointName)}", cancellationToken);

    public override Task RollbackAsync(string savepointName, CancellationToken cancellationToken = default) =>
        RunSavepointCommandAsync($"ROLLBACK TO SAVEPOINT {Quote(savepointName)}", cancellationToken);

    public override Task ReleaseAsync(string savepointName, CancellationToken cancellationToken = default) =>
        RunSavepointCommandAsync($"RELEASE SAVEPOINT {Quote(savepointName)}", cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && _connection is not null)
        {
            RollbackQuietlyAsync(async: false).AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await RollbackQuietlyAsync(async: true).ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    internal ValueTask RollbackQuietlyAsync(bool async) => CompleteAsync(commit: false, quiet: true, async, CancellationToken.None);

    private async ValueTask CompleteAsync(bool commit, bool quiet, bool async, CancellationToken cancellationToken)
    {
        var connection = _connection;
        if (connection is null)
        {
            if (quiet)
            {
                return;
            }

            throw new InvalidOperationException("This transaction has already been committed or rolled back.");
        }

        _connection = null;
        connection.OnTransactionCompleted(this);
        try
        {
            await connection.Executor.CompleteAsync(State, commit, quiet, async, cancellationToken).ConfigureAwait(false);
        }
        catch (LibSqlException ex) when (!commit && ex.Code is "STREAM_EXPIRED" or "HTTP_400")
        {
            // The server already dropped the stream, and with it the transaction: that is a rollback.
        }
    }

    private void RunSavepointCommand(string sql)
    {
        using var command = CreateSavepointCommand(sql);
        command.ExecuteNonQuery();
    }

    private async Task RunSavepointCommandAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = CreateSavepointCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private LibSqlCommand CreateSavepointCommand(string sql)
    {
        var connection = _connection ?? throw new InvalidOperationException("This transaction has already been committed or rolled back.");
        return new LibSqlCommand(sql, connection, this);
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
