using System.Diagnostics;
using IntentVision.LibSql.Execution;
using IntentVision.LibSql.Sql;
using IntentVision.LibSql.Telemetry;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntentVision.LibSql.Embedded;

/// <summary>
/// An open connection to a file: a handle from Microsoft.Data.Sqlite's pool, on which statements are prepared once,
/// kept while the connection is open, bound and stepped directly. Results are stepped as they are read.
/// </summary>
internal sealed class EmbeddedSession : ConnectionSession
{
    private const int MaxCachedStatements = 256;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, PreparedStatement> _statements = new(StringComparer.Ordinal);
    private readonly List<EmbeddedResults> _open = [];
    private bool _poisoned;

    private EmbeddedSession(SqliteConnection connection, SqlTextCache cache, LibSqlInstrumentation instrumentation)
    {
        _connection = connection;
        Db = connection.Handle!;
        Cache = cache;
        Instrumentation = instrumentation;
    }

    public sqlite3 Db { get; }

    public SqlTextCache Cache { get; }

    public LibSqlInstrumentation Instrumentation { get; }

    public override string ServerVersion => "SQLite " + raw.sqlite3_libversion().utf8_to_string();

    public static EmbeddedSession Open(EmbeddedFileSettings settings, SqlTextCache cache, LibSqlInstrumentation instrumentation)
    {
        var connection = new SqliteConnection(settings.ConnectionString);
        try
        {
            connection.Open();
            if (raw.sqlite3_db_readonly(connection.Handle!, "main") == 1)
            {
                // Opened while the file was read-only, this pooled handle stays read-only even after the file is
                // writable again: retire every pooled handle and open anew (still read-only if the file still is).
                SqliteConnection.ClearPool(connection);
                connection.Dispose();
                connection = new SqliteConnection(settings.ConnectionString);
                connection.Open();
            }

            settings.Configure(connection.Handle!);
            return new EmbeddedSession(connection, cache, instrumentation);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw SqliteErrors.From(e, null);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override ValueTask<StatementResults> ExecuteAsync(ExecutionRequest request, bool async, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var first = request.Commands.Count > 0 ? request.Commands[0].CommandText : null;
        var activity = Instrumentation.StartActivity(request.Operation, first);
        var results = new EmbeddedResults(this, request);
        Exception? failure = null;
        using var interruption = new Interruption(Db, request.TimeoutSeconds, cancellationToken);
        try
        {
            results.Start(interruption);
            _open.Add(results);
            return ValueTask.FromResult<StatementResults>(results);
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            Instrumentation.Complete(activity, started, request.Operation, request.WantRows ? null : 0, failure);
        }
    }

    public override void Begin(LibSqlTransaction transaction) =>
        Run(transaction.Deferred ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");

    public override ValueTask CompleteAsync(LibSqlTransaction transaction, bool commit, bool quiet, bool async, CancellationToken cancellationToken)
    {
        var operation = commit ? "COMMIT" : "ROLLBACK";
        var started = Stopwatch.GetTimestamp();
        var activity = Instrumentation.StartActivity(operation, null);
        Exception? failure = null;
        try
        {
            if (transaction.Broken is not null || raw.sqlite3_get_autocommit(Db) != 0)
            {
                // The engine ended the transaction already (a full disk, an I/O error), or a command of it was
                // cancelled or timed out: it is rolled back.
                if (raw.sqlite3_get_autocommit(Db) == 0)
                {
                    TryRun("ROLLBACK");
                }

                if (commit)
                {
                    var cause = transaction.Broken;
                    throw new LibSqlException(
                        $"The transaction cannot commit: the database rolled it back{(cause is null ? "." : ": " + cause.Message)}",
                        cause?.Code ?? "TRANSACTION_ROLLED_BACK",
                        operation,
                        cause);
                }

                return ValueTask.CompletedTask;
            }

            try
            {
                Run(operation);
            }
            catch (LibSqlException) when (commit)
            {
                // A COMMIT that failed leaves the transaction open: end it, so the pooled handle goes back clean.
                TryRun("ROLLBACK");
                throw;
            }
        }
        catch (Exception ex) when (quiet)
        {
            failure = ex;
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            Instrumentation.Complete(activity, started, operation, 0, failure);
        }

        return ValueTask.CompletedTask;
    }

    public override void Close()
    {
        CloseOpenResults();
        if (raw.sqlite3_get_autocommit(Db) == 0)
        {
            // A transaction begun by a plain "BEGIN" command: never hand a handle back to the pool inside one.
            TryRun("ROLLBACK");
        }

        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
        if (_poisoned)
        {
            // The file refused writes or failed under this handle: no handle of the pool is trusted any more, so the
            // next connection opens the file anew and writes recover once the file is repaired, without a restart.
            SqliteConnection.ClearPool(_connection);
        }

        _connection.Dispose();
    }

    /// <summary>
    /// Notes a failure on this handle. A read-only, corrupt or unreadable file (SQLITE_READONLY, SQLITE_CORRUPT,
    /// SQLITE_NOTADB, SQLITE_IOERR, SQLITE_CANTOPEN) poisons the pool: it is cleared when this connection closes.
    /// </summary>
    public void Observe(Exception error)
    {
        if (error is LibSqlException { Kind: LibSqlFailureKind.ReadOnly or LibSqlFailureKind.Damaged } or LibSqlException { PrimaryCode: "SQLITE_IOERR" })
        {
            _poisoned = true;
        }
    }

    /// <summary>The prepared statement for <paramref name="sql"/>: the cached one, or a new one when it is busy with an open reader.</summary>
    public PreparedStatement Rent(string sql)
    {
        if (_statements.TryGetValue(sql, out var cached))
        {
            if (!cached.InUse)
            {
                cached.InUse = true;
                return cached;
            }

            var extra = PreparedStatement.Prepare(Db, sql, cached: false);
            extra.InUse = true;
            return extra;
        }

        if (_statements.Count >= MaxCachedStatements)
        {
            // A connection kept open for long (the database writer's) meets one-off texts too: when the cache is full,
            // the idle statements go and the texts still in use are prepared again as they come.
            foreach (var (text, idle) in _statements.Where(s => !s.Value.InUse).ToList())
            {
                _statements.Remove(text);
                idle.Dispose();
            }
        }

        var statement = PreparedStatement.Prepare(Db, sql, cached: _statements.Count < MaxCachedStatements);
        if (statement.Cached)
        {
            _statements.Add(sql, statement);
        }

        statement.InUse = true;
        return statement;
    }

    public void Return(PreparedStatement statement)
    {
        statement.Reset();
        statement.InUse = false;
        if (!statement.Cached)
        {
            statement.Dispose();
        }
    }

    public void OnClosed(EmbeddedResults results) => _open.Remove(results);

    /// <summary>Runs one parameterless statement to the end (transaction control).</summary>
    public void Run(string sql)
    {
        var statement = Rent(sql);
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(statement.Handle)) == raw.SQLITE_ROW)
            {
            }

            if (rc != raw.SQLITE_DONE)
            {
                var error = SqliteErrors.From(Db, rc, sql);
                Observe(error);
                throw error;
            }
        }
        finally
        {
            Return(statement);
        }
    }

    private void TryRun(string sql)
    {
        try
        {
            Run(sql);
        }
        catch (LibSqlException)
        {
            // Nothing more to undo: the engine reports no transaction, or the handle is going away.
        }
    }

    private void CloseOpenResults()
    {
        // A reader left open on the connection must not keep a statement stepping past COMMIT or close.
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            _open[i].Abandon();
        }

        _open.Clear();
    }
}
