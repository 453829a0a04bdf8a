using IntentVision.LibSql.Execution;
using IntentVision.LibSql.Hrana;
using IntentVision.LibSql.Sql;
using SQLitePCL;

namespace IntentVision.LibSql.Embedded;

/// <summary>
/// Commands running on a file, stepped as they are read. Statements without columns run to their end on the way;
/// a statement with columns is a result set whose rows are stepped one per <see cref="Read"/>: nothing is buffered.
/// Closing runs what is left, so a script's later statements run as they do on a server (a read left half-way is
/// reset, not stepped to its end). An atomic batch (outside a transaction)
/// is wrapped in BEGIN IMMEDIATE and COMMIT, and rolled back on the first failure.
/// </summary>
internal sealed class EmbeddedResults(EmbeddedSession session, ExecutionRequest request) : StatementResults
{
    private readonly sqlite3 _db = session.Db;
    private int _commandIndex = -1;
    private int _statementIndex = -1;
    private IReadOnlyList<ParsedStatement> _statements = [];
    private string? _commandText;
    private BindingPlan? _binding;
    private ParsedStatement? _lastStatement;
    private PreparedStatement? _lastPrepared;
    private bool _transactionChecked;
    private PreparedStatement? _current;
    private ParsedStatement? _currentStatement;
    private int _currentCommand;
    private HranaColumn[] _columns = [];
    private HranaValue[] _row = [];
    private bool _pending;
    private bool _currentDone;
    private bool _hasRows;
    private bool _finished;
    private bool _closed;
    private bool _inAtomic;
    private Interruption? _interruption;
    private long _affected = -1;
    private long? _lastInsertRowId;
    private long _rowsRead;

    public override IReadOnlyList<HranaColumn> Columns => _columns;

    public override bool HasRows => _current is not null && _hasRows;

    public override ReadOnlySpan<HranaValue> CurrentRow => _current is not null
        ? _row
        : throw new InvalidOperationException("No data exists for the row: call Read() first and check that it returned true.");

    public override int RecordsAffected => (int)Math.Min(_affected, int.MaxValue);

    public override long? LastInsertRowId => _lastInsertRowId;

    public override long RowsRead => _rowsRead;

    /// <summary>Runs up to the first result set (or, when no rows are wanted, everything), within the command's deadline.</summary>
    public void Start(Interruption interruption)
    {
        _interruption = interruption;
        try
        {
            if (request.Atomic)
            {
                session.Run("BEGIN IMMEDIATE");
                _inAtomic = true;
            }

            while (Advance() && !request.WantRows)
            {
            }
        }
        finally
        {
            _interruption = null;
        }
    }

    public override bool Read()
    {
        if (_current is null)
        {
            return false;
        }

        if (_pending)
        {
            _pending = false;
            _rowsRead++;
            return true;
        }

        if (_currentDone)
        {
            return false;
        }

        var rc = raw.sqlite3_step(_current.Handle);
        if (rc == raw.SQLITE_ROW)
        {
            _current.ReadRow(_row);
            _rowsRead++;
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            _currentDone = true;
            return false;
        }

        throw Fail(rc, _currentStatement!.Sql);
    }

    public override bool NextResult() => !_finished && Advance();

    public override HranaValueKind SampleKind(int ordinal) =>
        _current is not null && _hasRows && (uint)ordinal < (uint)_row.Length ? _row[ordinal].Kind : HranaValueKind.Null;

    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        try
        {
            while (!_finished && Advance())
            {
            }
        }
        finally
        {
            Release();
        }
    }

    /// <summary>The connection is closing under an open reader: stop stepping, run nothing more.</summary>
    public void Abandon()
    {
        _finished = true;
        Release();
    }

    /// <summary>Finishes the current result set, then runs statements until the next one with columns (true) or the end (false).</summary>
    private bool Advance()
    {
        FinishCurrent();
        while (NextStatement(out var statement))
        {
            var commandIndex = _commandIndex;
            if (request.Transaction is { } transaction)
            {
                // Later statements need no check: a failure that ends the transaction marks it broken (Abort).
                if (!_transactionChecked && transaction.Broken is null && raw.sqlite3_get_autocommit(_db) != 0)
                {
                    transaction.Broken = new LibSqlException("The database had already rolled this transaction back; the statement was not run.", "TRANSACTION_ROLLED_BACK", statement.Sql);
                }

                _transactionChecked = true;
                if (transaction.Broken is { } broken)
                {
                    throw Abort(LibSqlException.CausedBy($"The transaction can no longer be used: {broken.Message}", broken, statement.Sql));
                }
            }

            _interruption?.ThrowIfStopped(statement.Sql);
            var prepared = Rent(statement);
            int rc;
            try
            {
                var parameters = request.Commands[commandIndex].Parameters;
                _binding = BindingPlan.For(statement, parameters, _binding);
                prepared.Bind(_db, _binding.Values(parameters));
                rc = raw.sqlite3_step(prepared.Handle);
            }
            catch (Exception ex)
            {
                session.Return(prepared);
                throw Abort(ex);
            }

            if (request.WantRows && (rc == raw.SQLITE_ROW || rc == raw.SQLITE_DONE) && prepared.ColumnCount is > 0 and var columns)
            {
                _current = prepared;
                _currentStatement = statement;
                _currentCommand = commandIndex;
                _columns = prepared.ReadColumns();
                _row = new HranaValue[columns];
                _hasRows = rc == raw.SQLITE_ROW;
                _currentDone = !_hasRows;
                _pending = _hasRows;
                if (_hasRows)
                {
                    prepared.ReadRow(_row);
                }

                return true;
            }

            while (rc == raw.SQLITE_ROW)
            {
                rc = raw.sqlite3_step(prepared.Handle);
            }

            if (rc != raw.SQLITE_DONE)
            {
                var error = Explain(rc, statement.Sql);
                session.Return(prepared);
                throw Abort(error);
            }

            Account(statement, commandIndex, prepared);
            session.Return(prepared);
        }

        _finished = true;
        if (_inAtomic)
        {
            _inAtomic = false;
            try
            {
                session.Run("COMMIT");
            }
            catch (LibSqlException)
            {
                // A COMMIT that failed leaves the transaction open: nothing of the batch may stay.
                session.Run("ROLLBACK");
                throw;
            }
        }

        return false;
    }

    private bool NextStatement(out ParsedStatement statement)
    {
        while (_statementIndex + 1 >= _statements.Count)
        {
            if (_commandIndex + 1 >= request.Commands.Count)
            {
                statement = null!;
                return false;
            }

            _commandIndex++;
            var text = request.Commands[_commandIndex].CommandText;
            if (!ReferenceEquals(text, _commandText))
            {
                // The rows of a batch share one text object: parsed once, not looked up per row.
                _statements = session.Cache.Get(text).Statements;
                _commandText = text;
            }

            _statementIndex = -1;
        }

        statement = _statements[++_statementIndex];
        return true;
    }

    /// <summary>
    /// Ends the current result set. A write's (INSERT ... RETURNING) is stepped to its end so its changes are counted;
    /// a read's rest is skipped, not stepped: a reader left half-way through a huge (or endless) SELECT closes at once.
    /// </summary>
    private void FinishCurrent()
    {
        var current = _current;
        if (current is null)
        {
            return;
        }

        var rc = raw.SQLITE_DONE;
        if (!_currentDone && !_currentStatement!.IsReadOnly)
        {
            while ((rc = raw.sqlite3_step(current.Handle)) == raw.SQLITE_ROW)
            {
            }
        }

        if (rc != raw.SQLITE_DONE)
        {
            throw Fail(rc, _currentStatement!.Sql);
        }

        Account(_currentStatement!, _currentCommand, current);
        ClearCurrent();
    }

    /// <summary>Rows changed, as ADO.NET counts them: statements without columns always count (0 for DDL), ones with columns only if they changed rows.</summary>
    private void Account(ParsedStatement statement, int commandIndex, PreparedStatement prepared)
    {
        var changes = statement.MainVerb is "INSERT" or "UPDATE" or "DELETE" or "REPLACE" ? raw.sqlite3_changes(_db) : 0;
        if (changes == 0 && prepared.ColumnCount > 0)
        {
            return;
        }

        _affected = Math.Max(_affected, 0) + changes;
        if (request.BatchCommands is { } commands)
        {
            commands[commandIndex].Affected = Math.Max(commands[commandIndex].Affected, 0) + changes;
        }

        if (request.BatchCommands is null && changes > 0 && statement.MainVerb is "INSERT" or "REPLACE")
        {
            // A command's LastInsertRowId; a batch has none.
            _lastInsertRowId = raw.sqlite3_last_insert_rowid(_db);
        }
    }

    /// <summary>The prepared statement for the next run: the one the previous row used when it is the same statement, else the session's.</summary>
    private PreparedStatement Rent(ParsedStatement statement)
    {
        if (ReferenceEquals(statement, _lastStatement) && _lastPrepared is { InUse: false, Cached: true } last)
        {
            last.InUse = true;
            return last;
        }

        var prepared = session.Rent(statement.Sql);
        (_lastStatement, _lastPrepared) = (statement, prepared);
        return prepared;
    }

    private Exception Explain(int rc, string sql) =>
        (rc & 0xff) == raw.SQLITE_INTERRUPT && _interruption is { } interruption
            ? interruption.Explain(sql)
            : SqliteErrors.From(_db, rc, sql);

    /// <summary>A failure while a result set was open: record it, give the statement back, undo an atomic batch.</summary>
    private Exception Fail(int rc, string sql)
    {
        var error = Explain(rc, sql);
        ClearCurrent();
        return Abort(error);
    }

    /// <summary>Stops the run: nothing after a failure runs, an atomic batch is rolled back, a transaction the engine ended is marked.</summary>
    private Exception Abort(Exception error)
    {
        _finished = true;
        session.Observe(error);
        if (_inAtomic)
        {
            _inAtomic = false;
            if (raw.sqlite3_get_autocommit(_db) == 0)
            {
                session.Run("ROLLBACK");
            }
        }
        else if (request.Transaction is { } transaction)
        {
            // As on a server, a cancelled or timed-out command ends its transaction; so does anything the engine rolled back.
            transaction.Broken ??= error switch
            {
                OperationCanceledException cancelled => new LibSqlException("A command of this transaction was cancelled.", "CANCELLED", null, cancelled),
                LibSqlException { Code: "TIMEOUT" } timedOut => timedOut,
                LibSqlException failure when raw.sqlite3_get_autocommit(_db) != 0 => failure,
                _ => null,
            };
        }

        return error;
    }

    private void ClearCurrent()
    {
        if (_current is { } current)
        {
            _current = null;
            session.Return(current);
        }

        _currentStatement = null;
        _columns = [];
        _hasRows = false;
        _pending = false;
    }

    private void Release()
    {
        _closed = true;
        ClearCurrent();
        if (_inAtomic)
        {
            _inAtomic = false;
            if (raw.sqlite3_get_autocommit(_db) == 0)
            {
                session.Run("ROLLBACK");
            }
        }

        session.OnClosed(this);
        if (request.WantRows)
        {
            session.Instrumentation.RecordReturnedRows(request.Operation, _rowsRead);
        }
    }
}
