using System.Runtime.ExceptionServices;
using IntentVision.LibSql.Execution;
using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Remote;

/// <summary>
/// A server's results read as they arrive through a <c>/v3/cursor</c> response: one row in memory at a time (the
/// row <see cref="Read"/> moved to), so a million-row result costs what one row costs. The first row of each result
/// set is read ahead, as SQLite steps it, so <see cref="HasRows"/> and the column types are known before Read.
/// Errors that arrive mid-result (a failing statement, a broken connection, the read timeout) surface from Read or
/// NextResult as <see cref="LibSqlException"/> with the server's code. Closing mid-result drops the response.
/// Inside a transaction the stream is the transaction's: <see cref="DetachAsync"/> reads the rest into memory when
/// another command needs it, and <see cref="TransactionKeepAlive"/> renews it while rows stream.
/// </summary>
internal sealed class CursorResults : StatementResults
{
    private readonly HranaCursor _cursor;
    private readonly IReadOnlyList<PlannedStatement> _plan;
    private readonly int _offset;
    private readonly BatchFraming _framing;
    private readonly RemoteTransactionState? _transaction;
    private readonly CursorLifetime _lifetime;
    private IReadOnlyList<HranaColumn> _columns = [];
    private IReadOnlyList<HranaColumn> _stepColumns = [];
    private int _step = -1;
    private int _statementsEnded;
    private bool _inSet;
    private bool _setEnded;
    private bool _setHasRows;
    private bool _rowPending;
    private bool _onRow;
    private bool _finished;
    private bool _closed;
    private Exception? _fault;
    private long _affected;
    private bool _anyAffected;
    private long? _lastInsertRowId;
    private long _rowsRead;

    public CursorResults(HranaCursor cursor, IReadOnlyList<PlannedStatement> plan, BatchFraming framing, RemoteTransactionState? transaction, CursorLifetime lifetime)
    {
        _cursor = cursor;
        _plan = plan;
        _framing = framing;
        _offset = framing is BatchFraming.BeginThenChained or BatchFraming.BeginIfNeeded ? 1 : 0;
        _transaction = transaction;
        _lifetime = lifetime;
    }

    public override IReadOnlyList<HranaColumn> Columns => _columns;

    public override bool HasRows => _inSet && _setHasRows;

    public override ReadOnlySpan<HranaValue> CurrentRow => _onRow
        ? _cursor.Row
        : throw new InvalidOperationException("No data exists for the row: call Read() first and check that it returned true.");

    public override int RecordsAffected => _anyAffected ? (int)Math.Min(_affected, int.MaxValue) : -1;

    public override long? LastInsertRowId => _lastInsertRowId;

    public override long RowsRead => _rowsRead;

    /// <summary>True when the first statement failed before any row was read (so re-sending the read-only request is safe), e.g. SQLITE_BUSY.</summary>
    public bool FailedAtFirstStatement { get; private set; }

    /// <summary>Moves to the first result set, running the statements before it: what ExecuteReader waits for.</summary>
    public ValueTask<bool> StartAsync(bool async, CancellationToken cancellationToken) => MoveToNextSetAsync(async, cancellationToken);

    public override bool Read() => Wait(ReadCoreAsync(async: false, CancellationToken.None));

    public override ValueTask<bool> ReadAsync(CancellationToken cancellationToken) => ReadCoreAsync(async: true, cancellationToken);

    public override bool NextResult() => Wait(NextResultCoreAsync(async: false, CancellationToken.None));

    public override ValueTask<bool> NextResultAsync(CancellationToken cancellationToken) => NextResultCoreAsync(async: true, cancellationToken);

    public override HranaValueKind SampleKind(int ordinal)
    {
        if (!_inSet || !(_onRow || _rowPending))
        {
            return HranaValueKind.Null;
        }

        var row = _cursor.Row;
        return (uint)ordinal < (uint)row.Length ? row[ordinal].Kind : HranaValueKind.Null;
    }

    public override void Close()
    {
        var closing = CloseCoreAsync(async: false);
        if (!closing.IsCompleted)
        {
            closing.AsTask().GetAwaiter().GetResult();
        }
    }

    public override ValueTask CloseAsync() => CloseCoreAsync(async: true);

    /// <summary>
    /// Lets go of the transaction's stream before another request uses it: stops the keep-alive, so the baton is
    /// current, and reads what is left of the result into memory, so this reader still works.
    /// </summary>
    public async ValueTask DetachAsync(bool async, CancellationToken cancellationToken)
    {
        ReleaseStream();
        await _lifetime.StopKeepAliveAsync(async).ConfigureAwait(false);
        if (!_finished && !_closed && _fault is null)
        {
            try
            {
                await _cursor.DetachAsync(async, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Fault(ex);
                throw;
            }
        }
    }

    /// <summary>The transaction ends (rollback) while this reader is open: drop the response; the reader then fails.</summary>
    public async ValueTask AbandonAsync(bool async)
    {
        ReleaseStream();
        await _lifetime.StopKeepAliveAsync(async).ConfigureAwait(false);
        if (!_finished && _fault is null)
        {
            _fault = new LibSqlException("The transaction this reader belonged to was rolled back before the reader finished.", "TRANSACTION_ROLLED_BACK");
        }

        _cursor.Dispose();
    }

    /// <summary>The synchronous calls run the same code with blocking reads, so it completes at once; blocking is the fallback.</summary>
    private static bool Wait(ValueTask<bool> pending) => pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private async ValueTask<bool> ReadCoreAsync(bool async, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        _onRow = false;
        if (!_inSet || _setEnded)
        {
            return false;
        }

        if (_rowPending)
        {
            _rowPending = false;
            _onRow = true;
            _rowsRead++;
            return true;
        }

        if (await NextRowOfSetAsync(async, cancellationToken).ConfigureAwait(false))
        {
            _onRow = true;
            _rowsRead++;
            return true;
        }

        return false;
    }

    private async ValueTask<bool> NextResultCoreAsync(bool async, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        _onRow = false;
        while (_inSet && !_setEnded)
        {
            // The server cannot skip the rest of a statement: its rows are read and dropped.
            if (await NextRowOfSetAsync(async, cancellationToken).ConfigureAwait(false))
            {
                _rowsRead++;
            }
        }

        return await MoveToNextSetAsync(async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads on to the next statement that returns columns, ending the statements without columns on the way.</summary>
    private async ValueTask<bool> MoveToNextSetAsync(bool async, CancellationToken cancellationToken)
    {
        _inSet = false;
        _setEnded = false;
        _setHasRows = false;
        _rowPending = false;
        _columns = [];
        while (!_finished)
        {
            var entry = await NextEntryAsync(async, cancellationToken).ConfigureAwait(false);
            if (entry is not { } current)
            {
                Finish();
                return false;
            }

            switch (current.Kind)
            {
                case HranaCursorEntryKind.StepBegin:
                    _step = current.Step;
                    _stepColumns = current.Columns ?? [];
                    if (_transaction is not null && IsStatementStep(_step))
                    {
                        // The statements of a transaction's cursor run only inside it: it has begun, whoever sent BEGIN.
                        _transaction.Begun = true;
                    }

                    if (_stepColumns.Count > 0 && IsStatementStep(_step))
                    {
                        _columns = _stepColumns;
                        _inSet = true;
                        await ReadAheadFirstRowAsync(async, cancellationToken).ConfigureAwait(false);
                        return true;
                    }

                    break;
                case HranaCursorEntryKind.StepEnd:
                    EndStep(current);
                    break;
            }
        }

        return false;
    }

    private async ValueTask ReadAheadFirstRowAsync(bool async, CancellationToken cancellationToken)
    {
        if (await NextRowOfSetAsync(async, cancellationToken).ConfigureAwait(false))
        {
            _rowPending = true;
            _setHasRows = true;
        }
    }

    /// <summary>True for the set's next row (in the cursor's row buffer), false when the set ended (its step_end read).</summary>
    private async ValueTask<bool> NextRowOfSetAsync(bool async, CancellationToken cancellationToken)
    {
        var entry = await NextEntryAsync(async, cancellationToken).ConfigureAwait(false);
        switch (entry?.Kind)
        {
            case HranaCursorEntryKind.Row:
                return true;
            case HranaCursorEntryKind.StepEnd:
                EndStep(entry.Value);
                _setEnded = true;
                return false;
            default:
                throw Fault(Truncated());
        }
    }

    /// <summary>The next entry; a failed statement or batch is thrown here as the server's error.</summary>
    private async ValueTask<HranaCursorEntry?> NextEntryAsync(bool async, CancellationToken cancellationToken)
    {
        HranaCursorEntry? entry;
        try
        {
            entry = await _cursor.NextAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Fault(ex);
        }

        if (entry is { Kind: HranaCursorEntryKind.StepError or HranaCursorEntryKind.Error } failed)
        {
            var statement = failed.Kind == HranaCursorEntryKind.StepError ? StatementAt(failed.Step) : StatementAt(_step);
            FailedAtFirstStatement = _rowsRead == 0 && _statementsEnded == 0 && failed.Step == _offset;
            var error = failed.Step == 0 && _offset == 1
                ? ExecutionOutcome.Failed(failed.Error!, null, safeToRetry: false, statementText: "BEGIN")
                : ExecutionOutcome.Failed(failed.Error!, statement, safeToRetry: false);
            throw Fault(error.ToException());
        }

        return entry;
    }

    private void EndStep(HranaCursorEntry end)
    {
        var index = _step - _offset;
        if (index >= 0 && index < _plan.Count)
        {
            if (_stepColumns.Count == 0 || end.AffectedRowCount > 0)
            {
                _affected += end.AffectedRowCount;
                _anyAffected = true;
            }

            if (_plan[index].Source.MainVerb is "INSERT" or "REPLACE" && end.AffectedRowCount > 0 && end.LastInsertRowId is { } rowId)
            {
                _lastInsertRowId = rowId;
            }

            _statementsEnded++;
        }
        else if (_step == 0 && _offset == 1 && _transaction is not null)
        {
            _transaction.Begun = true;
        }

        _step = -1;
        _stepColumns = [];
    }

    /// <summary>The response ended: every statement must have run, else the server skipped one without saying why.</summary>
    private void Finish()
    {
        _finished = true;
        if (_statementsEnded >= _plan.Count)
        {
            return;
        }

        var skipped = _framing is BatchFraming.InTransaction or BatchFraming.BeginIfNeeded && _statementsEnded == 0
            ? new LibSqlException("The server had already ended this transaction (rolled back, e.g. after another writer took its lock); the statement was not run.", "TRANSACTION_ROLLED_BACK", _plan[0].Source.Sql)
            : new LibSqlException("The server skipped a batch step without reporting an error.", "PROTOCOL_ERROR", _plan[Math.Min(_statementsEnded, _plan.Count - 1)].Source.Sql);
        throw Fault(skipped);
    }

    private bool IsStatementStep(int step) => step - _offset >= 0 && step - _offset < _plan.Count;

    private PlannedStatement? StatementAt(int step) => IsStatementStep(step) ? _plan[step - _offset] : null;

    private LibSqlException Truncated() =>
        new("The server's response ended before the result was complete.", "NETWORK_ERROR", StatementAt(_step)?.Source.Sql);

    /// <summary>Records why the reader cannot go on, drops the response, and tells the transaction when its stream is gone.</summary>
    private Exception Fault(Exception error)
    {
        if (error is LibSqlException { Statement: null } plain && StatementAt(_step) is { } statement)
        {
            error = plain.WithStatement(statement.Source.Sql);
        }

        _fault ??= error;
        _finished = true;
        _inSet = false;
        _onRow = false;
        _cursor.Dispose();
        if (_transaction is not null && error is LibSqlException failure)
        {
            // As for a pipeline: a broken connection or an ended transaction means later commands must not run outside it.
            if (failure.Code is "NETWORK_ERROR" or "TIMEOUT")
            {
                _transaction.Break(failure, streamLost: true);
            }
            else if (failure.Code is "TRANSACTION_TIMEOUT" or "TRANSACTION_ROLLED_BACK" or "STREAM_EXPIRED")
            {
                _transaction.Break(failure, streamLost: _cursor.Baton is null);
            }
        }

        return error;
    }

    private void ThrowIfUnusable()
    {
        if (_fault is not null)
        {
            ExceptionDispatchInfo.Throw(_fault);
        }

        ObjectDisposedException.ThrowIf(_closed, this);
    }

    private void ReleaseStream()
    {
        if (_transaction is not null && ReferenceEquals(_transaction.Cursor, this))
        {
            _transaction.Cursor = null;
        }
    }

    private async ValueTask CloseCoreAsync(bool async)
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _onRow = false;
        ReleaseStream();
        _cursor.Dispose();
        await _lifetime.EndAsync(async, _rowsRead, _fault).ConfigureAwait(false);
    }
}
