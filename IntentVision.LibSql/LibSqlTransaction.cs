using System.Data;
using System.Data.Common;
using IntentVision.LibSql.Remote;

namespace IntentVision.LibSql;

/// <summary>
/// A transaction on a libSQL database, <c>BEGIN IMMEDIATE</c> unless asked to be deferred. On a file it begins at once;
/// on a server BEGIN travels with the first command, the commands are chained by the stream's baton over several
/// requests, and COMMIT or ROLLBACK closes the stream. Disposing it without committing rolls back. If the engine or
/// the server ends it first (a full disk, an expired stream, another writer taking its lock: TRANSACTION_TIMEOUT),
/// every later command and the commit fail with that code instead of running outside it.
/// </summary>
public sealed class LibSqlTransaction : DbTransaction
{
    private LibSqlConnection? _connection;
    private int _deferringWrites;

    internal LibSqlTransaction(LibSqlConnection connection, IsolationLevel isolationLevel, bool deferred)
    {
        _connection = connection;
        IsolationLevel = isolationLevel;
        Deferred = deferred;
        TimeoutSeconds = connection.DefaultTimeoutSeconds;
    }

    /// <summary>The connection, until the transaction completes.</summary>
    public new LibSqlConnection? Connection => _connection;

    public override IsolationLevel IsolationLevel { get; }

    public override bool SupportsSavepoints => true;

    /// <summary>BEGIN DEFERRED (takes no write lock until the first write) rather than BEGIN IMMEDIATE.</summary>
    public bool Deferred { get; }

    /// <summary>The deadline of COMMIT and ROLLBACK: the connection's command timeout when the transaction began.</summary>
    internal int TimeoutSeconds { get; }

    /// <summary>The server stream behind the transaction, on a server.</summary>
    internal RemoteTransactionState? Remote { get; set; }

    /// <summary>On a file: why the transaction can no longer commit, once the engine ended it (e.g. SQLITE_FULL).</summary>
    internal LibSqlException? Broken { get; set; }

    protected override DbConnection? DbConnection => _connection;

    public override void Commit() => CompleteAsync(commit: true, quiet: false, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task CommitAsync(CancellationToken cancellationToken = default) => CompleteAsync(commit: true, quiet: false, async: true, cancellationToken).AsTask();

    public override void Rollback() => CompleteAsync(commit: false, quiet: false, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task RollbackAsync(CancellationToken cancellationToken = default) => CompleteAsync(commit: false, quiet: false, async: true, cancellationToken).AsTask();

    public override void Save(string savepointName)
    {
        if (!TryDefer($"SAVEPOINT {Quote(savepointName)}"))
        {
            RunSavepointCommand($"SAVEPOINT {Quote(savepointName)}");
        }
    }

    public override void Rollback(string savepointName) => RunSavepointCommand($"ROLLBACK TO SAVEPOINT {Quote(savepointName)}");

    public override void Release(string savepointName)
    {
        if (!TryDefer($"RELEASE SAVEPOINT {Quote(savepointName)}"))
        {
            RunSavepointCommand($"RELEASE SAVEPOINT {Quote(savepointName)}");
        }
    }

    /// <remarks>
    /// On a server SAVEPOINT and RELEASE are not sent on their own: they go in front of the transaction's next
    /// statement (a round trip each saved), and COMMIT or ROLLBACK makes them moot. So an error in one (a RELEASE of a
    /// savepoint that does not exist) is reported by the next statement, and ends the transaction.
    /// </remarks>
    public override Task SaveAsync(string savepointName, CancellationToken cancellationToken = default) =>
        TryDefer($"SAVEPOINT {Quote(savepointName)}") ? Task.CompletedTask : RunSavepointCommandAsync($"SAVEPOINT {Quote(savepointName)}", cancellationToken);

    public override Task RollbackAsync(string savepointName, CancellationToken cancellationToken = default) =>
        RunSavepointCommandAsync($"ROLLBACK TO SAVEPOINT {Quote(savepointName)}", cancellationToken);

    public override Task ReleaseAsync(string savepointName, CancellationToken cancellationToken = default) =>
        TryDefer($"RELEASE SAVEPOINT {Quote(savepointName)}") ? Task.CompletedTask : RunSavepointCommandAsync($"RELEASE SAVEPOINT {Quote(savepointName)}", cancellationToken);

    /// <summary>
    /// Until the returned scope is disposed, writes whose results nobody reads (<c>ExecuteNonQuery</c> of statements that
    /// change data, on a command, a batch or through Dapper) are not sent on their own on a server: they travel in front
    /// of the transaction's next statement, or with its COMMIT in the same request (a round trip each saved). Such a call
    /// returns -1 (rows affected unknown). A failure of a deferred write is reported by that later statement or by
    /// <see cref="CommitAsync"/>; the transaction then cannot commit, nothing of it is committed, and the exception says
    /// so (<see cref="LibSqlException.FailedBeforeCommit"/>). On a file statements run at once, as without the scope.
    /// </summary>
    public IDisposable DeferWrites()
    {
        _ = _connection ?? throw new InvalidOperationException("This transaction has already been committed or rolled back.");
        _deferringWrites++;
        return new DeferredWritesScope(this);
    }

    /// <summary>Whether <see cref="DeferWrites"/> is in force.</summary>
    internal bool WritesDeferred => _deferringWrites > 0;

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
        await connection.Session.CompleteAsync(this, commit, quiet, async, cancellationToken).ConfigureAwait(false);
    }

    private bool TryDefer(string sql)
    {
        var connection = _connection ?? throw new InvalidOperationException("This transaction has already been committed or rolled back.");
        return connection.Session.TryDefer(this, sql);
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

    private sealed class DeferredWritesScope(LibSqlTransaction transaction) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                transaction._deferringWrites--;
            }
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
