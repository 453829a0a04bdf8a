using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using IntentVision.LibSql.Execution;
using IntentVision.LibSql.Sql;
using IntentVision.LibSql.Telemetry;

namespace IntentVision.LibSql;

/// <summary>
/// A connection to a libSQL database: a local file (<c>file:</c>, through Microsoft.Data.Sqlite inside) or a server
/// (sqld or Turso, Hrana over HTTP). The same type, commands, reader, transactions and errors on both. Opening is
/// cheap: a file connection takes a pooled handle, and on a server every command outside a transaction is one
/// self-contained request on the data source's HTTP pool. A transaction holds the file's write lock or one server
/// stream until it commits or rolls back. Like every ADO.NET connection it is not thread-safe: one command at a time.
/// </summary>
public sealed class LibSqlConnection : DbConnection
{
    private LibSqlDataSource? _owner;
    private string? _connectionString;
    private ConnectionSession? _session;
    private ConnectionState _state = ConnectionState.Closed;
    private LibSqlTransaction? _transaction;
    private int _commandInProgress;

    /// <summary>A connection to configure with <see cref="ConnectionString"/> (the ADO.NET factory way); prefer <see cref="LibSqlDataSource"/>.</summary>
    public LibSqlConnection()
    {
    }

    /// <summary>A connection for a URL or a <c>Data Source=...;Auth Token=...</c> string, sharing one data source per string.</summary>
    public LibSqlConnection(string connectionString)
    {
        ConnectionString = connectionString;
    }

    internal LibSqlConnection(LibSqlDataSource owner)
    {
        _owner = owner;
    }

    /// <summary>
    /// The database: as set, or the URL without credentials for a connection made by a <see cref="LibSqlDataSource"/>.
    /// It can be set only while the connection is closed, and only on a connection that no data source made.
    /// </summary>
    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString ?? _owner?.Info.Url ?? string.Empty;
        set
        {
            if (_connectionString is null && _owner is not null)
            {
                if (string.Equals(value, _owner.Info.Url, StringComparison.Ordinal))
                {
                    return;
                }

                throw new NotSupportedException("This connection belongs to its LibSqlDataSource; create one data source per database instead of changing the connection string.");
            }

            if (_state != ConnectionState.Closed)
            {
                throw new InvalidOperationException("The connection string cannot change while the connection is open.");
            }

            _connectionString = value;
            _owner = null;
        }
    }

    public override string Database => "main";

    /// <summary>The database URL, without credentials.</summary>
    public override string DataSource => Owner.Info.Url;

    public override string ServerVersion => Session.ServerVersion;

    public override ConnectionState State => _state;

    public override bool CanCreateBatch => true;

    /// <summary>
    /// The timeout of the commands on this connection that set none themselves, COMMIT and ROLLBACK included; the data
    /// source's <see cref="LibSqlDataSourceOptions.CommandTimeout"/> while null. Lets one connection (a writer's, a
    /// health probe's) keep a deadline that fits its calls without touching every command.
    /// </summary>
    public TimeSpan? DefaultCommandTimeout { get; set; }

    /// <summary>The transaction in progress on this connection, if any.</summary>
    public LibSqlTransaction? Transaction => _transaction;

    /// <summary>What this database can do, where a file and a server differ (VACUUM, ATTACH, temporary tables, ...).</summary>
    public LibSqlCapabilities Capabilities => Owner.Capabilities;

    internal LibSqlDataSourceOptions Options => Owner.Options;

    /// <summary><see cref="DefaultCommandTimeout"/> or the data source's, in the whole seconds a command counts in.</summary>
    internal int DefaultTimeoutSeconds => (int)Math.Ceiling((DefaultCommandTimeout ?? Options.CommandTimeout).TotalSeconds);

    internal SqlTextCache SqlCache => Owner.SqlCache;

    internal LibSqlInstrumentation Instrumentation => Owner.Instrumentation;

    internal ConnectionSession Session => _session ?? throw new InvalidOperationException("The connection is not open: call Open() or OpenAsync() first.");

    protected override DbProviderFactory DbProviderFactory => LibSqlProviderFactory.Instance;

    private LibSqlDataSource Owner => _owner ??= _connectionString is { Length: > 0 } text
        ? LibSqlProviderFactory.Instance.GetDataSource(text)
        : throw new InvalidOperationException("The connection has no ConnectionString: set it to a libSQL URL (file:, http(s)://, libsql://) first.");

    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("A libSQL database has a single schema ('main'); connect with another URL instead.");

    public override void Open()
    {
        if (_state == ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection is already open.");
        }

        _session = Owner.OpenSession();
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
    /// for read-only work (and for read-only tokens). On a server BEGIN travels with the first command: no extra round trip.
    /// </summary>
    public LibSqlTransaction BeginTransaction(IsolationLevel isolationLevel, bool deferred)
    {
        var session = EnsureOpen();
        if (_transaction is not null)
        {
            throw new InvalidOperationException("A transaction is already in progress on this connection; libSQL does not nest transactions (use savepoints).");
        }

        if (isolationLevel is not (IsolationLevel.Unspecified or IsolationLevel.Serializable or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Snapshot))
        {
            throw new ArgumentException($"libSQL transactions are serializable; {isolationLevel} is not supported.", nameof(isolationLevel));
        }

        var transaction = new LibSqlTransaction(this, isolationLevel == IsolationLevel.Unspecified ? IsolationLevel.Serializable : isolationLevel, deferred);
        session.Begin(transaction);
        _transaction = transaction;
        return transaction;
    }

    public new ValueTask<LibSqlTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
        BeginTransactionAsync(IsolationLevel.Unspecified, cancellationToken);

    public new ValueTask<LibSqlTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(BeginTransaction(isolationLevel));
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

    internal ConnectionSession EnsureOpen() =>
        _state == ConnectionState.Open && _session is not null
            ? _session
            : throw new InvalidOperationException("The connection is not open: call Open() or OpenAsync() first.");

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
            // Closing with a transaction open rolls it back (and on a server closes its stream), so nothing holds it.
            await transaction.RollbackQuietlyAsync(async).ConfigureAwait(false);
        }

        var session = _session;
        _session = null;
        _state = ConnectionState.Closed;
        session?.Close();
    }
}
