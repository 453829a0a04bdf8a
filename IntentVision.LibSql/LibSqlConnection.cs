using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using IntentVision.LibSql.Remote;
using IntentVision.LibSql.Sql;

namespace IntentVision.LibSql;

/// <summary>
/// A connection to a libSQL server (sqld or Turso) over Hrana HTTP. Opening costs nothing: outside a transaction
/// every command is one self-contained HTTP request on the data source's shared connection pool, so connections are
/// cheap to create per unit of work. A transaction holds one server stream until it commits or rolls back.
/// Like every ADO.NET connection it is not thread-safe: run one command at a time on it.
/// </summary>
public sealed class LibSqlConnection : DbConnection
{
    private readonly LibSqlDataSource _owner;
    private ConnectionState _state = ConnectionState.Closed;
    private LibSqlTransaction? _transaction;
    private int _commandInProgress;

    internal LibSqlConnection(LibSqlDataSource owner)
    {
        _owner = owner;
    }

    [AllowNull]
    public override string ConnectionString
    {
        get => _owner.Info.Url;
        set
        {
            if (!string.Equals(value, _owner.Info.Url, StringComparison.Ordinal))
            {
                throw new NotSupportedException("A libSQL connection belongs to its LibSqlDataSource; create one data source per database instead of changing the connection string.");
            }
        }
    }

    public override string Database => "main";

    /// <summary>The server URL, without credentials.</summary>
    public override string DataSource => _owner.Info.Url;

    public override string ServerVersion => "libSQL (Hrana over HTTP)";

    public override ConnectionState State => _state;

    public override bool CanCreateBatch => true;

    /// <summary>The transaction in progress on this connection, if any.</summary>
    public LibSqlTransaction? Transaction => _transaction;

    internal LibSqlDataSourceOptions Options => _owner.Options;

    internal RemoteExecutor Executor => _owner.Executor!;

    internal SqlTextCache SqlCache => _owner.SqlCache!;

    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("A libSQL database has a single schema ('main'); connect with another URL instead.");

    public override void Open()
    {
        ObjectDisposedException.ThrowIf(_state == ConnectionState.Broken, this);
        _state = ConnectionState.Open;
    }

    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Open();
        return Task.CompletedTask;
    }

    public override void Close() => CloseAsync(async: false).AsTask().GetAwaiter().GetResult();

    public override Task CloseAsync() => CloseAsync(async: true).AsTask();

    public new LibSqlTransaction BeginTransaction() => BeginTransaction(IsolationLevel.Unspecified, deferred: false);

    public new LibSqlTransaction BeginTransaction(IsolationLevel isolationLevel) => BeginTransaction(isolationLevel, deferred: false);

    /// <summary>
    /// Starts a transaction. By default it is <c>BEGIN IMMEDIATE</c>: it takes the write lock when it starts, so it
    /// never fails half-way with SQLITE_BUSY when it first writes. <paramref name="deferred"/> gives <c>BEGIN DEFERRED</c>
    /// for read-only work (and for read-only tokens). BEGIN travels with the first command: no extra round trip.
    /// </summary>
    public LibSqlTransaction BeginTransaction(IsolationLevel isolationLevel, bool deferred)
    {
        EnsureOpen();
        if (_transaction is not null)
        {
            throw new InvalidOperationException("A transaction is already in progress on this connection; libSQL does not nest transactions (use savepoints).");
        }

        if (isolationLevel is not (IsolationLevel.Unspecified or IsolationLevel.Serializable or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Snapshot))
        {
            throw new ArgumentException($"libSQL transactions are serializable; {isolationLevel} is not supported.", nameof(isolationLevel));
        }

        _transaction = new LibSqlTransaction(this, isolationLevel == IsolationLevel.Unspecified ? IsolationLevel.Serializable : isolationLevel, deferred);
        return _transaction;
    }

    public new LibSqlCommand CreateCommand() => new() { Connection = this };

    public new LibSqlBatch CreateBatch() => new() { Connection = this };

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => BeginTransaction(isolationLevel);

    protected override ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<DbTransaction>(BeginTransaction(isolationLevel));
    }

    protected override DbCommand CreateDbCommand() => CreateCommand();

    protected override DbBatch CreateDbBatch() => CreateBatch();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync(async: true).ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    internal void EnsureOpen()
    {
        if (_state != ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection is not open: call Open() or OpenAsync() first.");
        }
    }

    /// <summary>The transaction a command runs in: the connection's, which a command's own Transaction must match.</summary>
    internal LibSqlTransaction? ResolveTransaction(LibSqlTransaction? requested)
    {
        if (requested is not null && !ReferenceEquals(requested, _transaction))
        {
            throw new InvalidOperationException("The command's transaction is not the connection's current transaction (it was completed, or belongs to another connection).");
        }

        return _transaction;
    }

    /// <summary>Guards against two commands at once on one connection: a transaction's stream serves one request at a time.</summary>
    internal void EnterCommand()
    {
        if (Interlocked.Exchange(ref _commandInProgress, 1) == 1)
        {
            throw new InvalidOperationException("A command is already in progress on this connection; libSQL connections run one command at a time.");
        }
    }

    internal void ExitCommand() => Volatile.Write(ref _commandInProgress, 0);

    internal void OnTransactionCompleted(LibSqlTransaction transaction)
    {
        if (ReferenceEquals(_transaction, transaction))
        {
            _transaction = null;
        }
    }

    private async ValueTask CloseAsync(bool async)
    {
        if (_transaction is { } transaction)
        {
            // Closing with a transaction open rolls it back and closes its stream, so the server never holds it.
            await transaction.RollbackQuietlyAsync(async).ConfigureAwait(false);
        }

        _state = ConnectionState.Closed;
    }
}
