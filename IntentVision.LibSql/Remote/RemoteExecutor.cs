using System.Diagnostics;
using IntentVision.LibSql.Hrana;
using IntentVision.LibSql.Telemetry;

namespace IntentVision.LibSql.Remote;

/// <summary>
/// Runs planned statements on a libSQL server. Outside a transaction each command is one request; inside a transaction
/// the baton carries the stream from request to request until commit or rollback. A command or transaction goes on a
/// stream left open by an earlier one (<see cref="IdleStreamPool"/>) and leaves it open in turn, asking the server in the
/// same request whether the stream is outside any transaction (<c>get_autocommit</c>); a stream that is not, or whose
/// connection a statement changed, or one past the pool's capacity, is closed in the request as before, so no stream is
/// ever left open inside a transaction.
/// Retries only what cannot apply a write twice: requests that never reached the server, autocommit statements that
/// failed with SQLITE_BUSY (nothing was written), reads after a gateway error, and new streams refused with 429.
/// </summary>
internal sealed class RemoteExecutor
{
    private const int MaxTransportAttempts = 4;
    private const string ResponseTooLarge = "RESPONSE_TOO_LARGE";

    private readonly HranaPipelineClient _client;
    private readonly LibSqlDataSourceOptions _options;
    private readonly LibSqlInstrumentation _instrumentation;
    private readonly IdleStreamPool _streams;

    public RemoteExecutor(HranaPipelineClient client, LibSqlDataSourceOptions options, LibSqlInstrumentation instrumentation)
    {
        _client = client;
        _options = options;
        _instrumentation = instrumentation;
        _streams = new IdleStreamPool(options.IdleStreams, options.StreamIdleTimeout);
    }

    /// <summary>The streaming path for readers, on the same client, options and telemetry.</summary>
    internal CursorExecutor CreateCursorExecutor() => new(_client, _options, _instrumentation);

    public async ValueTask<HranaStatementResult[]> ExecuteAsync(
        IReadOnlyList<PlannedStatement> plan,
        RemoteTransactionState? transaction,
        bool atomic,
        int timeoutSeconds,
        string operation,
        bool async,
        CancellationToken cancellationToken,
        bool streamLargeResults = false)
    {
        if (plan.Count == 0)
        {
            return [];
        }

        var started = Stopwatch.GetTimestamp();
        var activity = _instrumentation.StartActivity(operation, plan[0].Source.Sql);
        using var timeout = CreateTimeout(timeoutSeconds, cancellationToken);
        var token = timeout?.Token ?? cancellationToken;
        Exception? failure = null;
        long rows = 0;
        try
        {
            var results = transaction is null
                ? await ExecuteAutocommitAsync(plan, atomic, streamLargeResults, async, token).ConfigureAwait(false)
                : await ExecuteInTransactionAsync(plan, transaction, streamLargeResults, async, token).ConfigureAwait(false);
            foreach (var result in results)
            {
                rows += result.RowCount;
            }

            return results;
        }
        catch (OperationCanceledException ex) when (timeout is not null && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var timedOut = new LibSqlException(
                $"The command did not complete within its timeout of {timeoutSeconds} s.",
                "TIMEOUT",
                plan[0].Source.Sql,
                new TimeoutException(ex.Message, ex));
            _client.Breaker?.Failed();
            transaction?.Break(timedOut, streamLost: true);
            failure = timedOut;
            throw timedOut;
        }
        catch (OperationCanceledException ex)
        {
            // The request may have run; its baton is gone with the response, so the transaction cannot go on.
            transaction?.Break(new LibSqlException("A command of this transaction was cancelled; its outcome is unknown.", "CANCELLED", plan[0].Source.Sql, ex), streamLost: true);
            failure = ex;
            throw;
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            _instrumentation.Complete(activity, started, operation, rows, failure);
        }
    }

    /// <summary>Ends a transaction: COMMIT or ROLLBACK and close, in one request. Quiet mode (dispose) swallows failures.</summary>
    public async ValueTask CompleteAsync(RemoteTransactionState transaction, bool commit, bool quiet, int timeoutSeconds, bool async, CancellationToken cancellationToken)
    {
        if (transaction.Completed)
        {
            return;
        }

        transaction.Completed = true;

        // COMMIT releases every savepoint and ROLLBACK undoes them: deferred savepoint statements need not be sent.
        // Deferred writes travel with the COMMIT, in front of it in the same request.
        List<PlannedStatement>? writes = commit && transaction.Broken is null && transaction.Pending.Exists(p => p.CommandIndex == PlannedStatement.DeferredWrite)
            ? [.. transaction.Pending]
            : null;
        transaction.Pending.Clear();
        var operation = commit ? "COMMIT" : "ROLLBACK";
        if (transaction.Baton is null && writes is null)
        {
            // Never begun (no command ran), or the stream is gone and the server rolled it back on its own.
            _streams.Forget(transaction.Lease);
            if (commit && transaction.Broken is { } lost)
            {
                throw LibSqlException.CausedBy($"The transaction cannot commit: {lost.Message}", lost, operation);
            }

            return;
        }

        var started = Stopwatch.GetTimestamp();
        var activity = _instrumentation.StartActivity(operation, null);
        using var timeout = CreateTimeout(timeoutSeconds, cancellationToken);
        Exception? failure = null;
        try
        {
            if (writes is not null)
            {
                await CommitWithWritesAsync(transaction, writes, async, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
                return;
            }

            var sendStatement = transaction.Begun && transaction.Broken is null;
            var keep = sendStatement && transaction.Lease.Kept && !transaction.ConnectionChanged;
            IReadOnlyList<HranaRequest> requests = sendStatement
                ? [HranaRequest.Execute(HranaStatement.Plain(operation)), keep ? HranaRequest.GetAutocommit : HranaRequest.Close]
                : [HranaRequest.Close];
            var baton = transaction.Baton;
            transaction.Baton = null;
            var response = await _client.SendAsync(baton, transaction.BaseUrl, requests, async, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
            if (keep)
            {
                await SettleAsync(transaction.Lease, transaction.BaseUrl, response, async, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
            }

            if (commit && transaction.Broken is { } broken)
            {
                throw LibSqlException.CausedBy($"The transaction cannot commit: {broken.Message}", broken, operation);
            }

            if (sendStatement && response.Results.Count > 0 && response.Results[0].Error is { } error)
            {
                throw new LibSqlException(Describe(error, operation), error.Code, operation);
            }
        }
        catch (Exception ex) when (quiet)
        {
            failure = ex;
        }
        catch (OperationCanceledException ex) when (timeout is not null && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The server may or may not have committed: the caller must treat the outcome as unknown.
            _client.Breaker?.Failed();
            var timedOut = new LibSqlException(
                $"{operation} did not complete within its timeout of {timeoutSeconds} s; whether it took effect is unknown.",
                "TIMEOUT",
                operation,
                new TimeoutException(ex.Message, ex));
            failure = timedOut;
            throw timedOut;
        }
        catch (LibSqlException ex)
        {
            failure = ex;
            throw ex.WithStatement(operation);
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            // Whatever did not go back to the pool above is no longer the pool's (a no-op for a lease already ended).
            _streams.Forget(transaction.Lease);
            _instrumentation.Complete(activity, started, operation, 0, failure);
        }
    }

    /// <summary>
    /// The deferred statements, then COMMIT only if every one succeeded, then close: one request. If a statement fails the
    /// COMMIT does not run and closing the stream rolls the transaction back, so nothing of it was committed.
    /// </summary>
    private async ValueTask CommitWithWritesAsync(RemoteTransactionState transaction, List<PlannedStatement> writes, bool async, CancellationToken token)
    {
        transaction.ConnectionChanged |= !LeavesConnectionAsNew(writes);
        while (true)
        {
            LeaseFirstStream(transaction);
            var framing = !transaction.Begun
                ? BatchFraming.BeginThenChained
                : _client.SupportsHrana3 ? BatchFraming.InTransaction : BatchFraming.Chained;
            var keep = transaction.Lease.Kept && !transaction.ConnectionChanged;
            var steps = BuildSteps(writes, framing, transaction.BeginStatement);
            var commitStep = steps.Count;
            steps.Add(new HranaBatchStep(HranaStatement.Plain("COMMIT"), HranaCondition.Ok(commitStep - 1)));

            var baton = transaction.Baton;
            transaction.Baton = null;
            HranaPipelineResponse response;
            try
            {
                response = await _client.SendAsync(baton, transaction.BaseUrl, [HranaRequest.Batch(steps), keep ? HranaRequest.GetAutocommit : HranaRequest.Close], async, token).ConfigureAwait(false);
            }
            catch (LibSqlException ex) when (framing == BatchFraming.BeginThenChained && ForgetUnknownStream(transaction, ex))
            {
                continue;
            }

            if (keep)
            {
                await SettleAsync(transaction.Lease, transaction.BaseUrl, response, async, token).ConfigureAwait(false);
            }

            var outcome = InterpretBatch(response, writes, framing);
            if (outcome.Error is not null)
            {
                throw outcome.ToException().BeforeCommit();
            }

            var batch = response.Results[0].Batch!;
            if (batch.ErrorAt(commitStep) is { } error)
            {
                throw new LibSqlException(Describe(error, "COMMIT"), error.Code, "COMMIT");
            }

            if (batch.ResultAt(commitStep) is null)
            {
                throw new LibSqlException("The server skipped the COMMIT without reporting an error; whether the transaction committed is unknown.", "PROTOCOL_ERROR", "COMMIT");
            }

            return;
        }
    }

    private async ValueTask<HranaStatementResult[]> ExecuteAutocommitAsync(IReadOnlyList<PlannedStatement> plan, bool atomic, bool streamLargeResults, bool async, CancellationToken token)
    {
        var single = plan.Count == 1 && !atomic;
        var framing = atomic ? BatchFraming.Atomic : BatchFraming.Chained;
        var statements = single ? HranaRequest.Execute(plan[0].Statement) : HranaRequest.Batch(BuildSteps(plan, framing, null));
        var mayKeep = LeavesConnectionAsNew(plan);
        var readOnly = true;
        foreach (var statement in plan)
        {
            readOnly &= statement.Source.IsReadOnly;
        }

        long? busySince = null;
        var busyAttempt = 0;
        var transportAttempt = 0;
        while (true)
        {
            var lease = mayKeep && _client.Hrana3Confirmed ? _streams.Rent() : StreamLease.OneOff;
            HranaPipelineResponse response;
            try
            {
                response = await _client.SendAsync(lease.Baton, lease.BaseUrl, [statements, lease.Kept ? HranaRequest.GetAutocommit : HranaRequest.Close], async, token).ConfigureAwait(false);
                await SettleAsync(lease, lease.BaseUrl, response, async, token).ConfigureAwait(false);
            }
            catch (LibSqlException ex) when (lease.Reused && ex.StreamUnknown)
            {
                // Refused before anything ran: the server no longer has the stream. The same request goes on a new one.
                ForgetWithIdle(lease);
                continue;
            }
            catch (LibSqlException ex) when (CanResend(ex, readOnly) && ++transportAttempt < MaxTransportAttempts)
            {
                _streams.Forget(lease);
                await RetryDelays.WaitAsync(RetryDelays.Next(transportAttempt, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)), async, token).ConfigureAwait(false);
                continue;
            }
            catch (LibSqlException ex)
            {
                if (lease.Reused && ex.HttpStatusCode is not null)
                {
                    // A refusal not recognised above may still be of a stream the server forgot: the other idle streams
                    // are dropped rather than each failing a command in turn.
                    ForgetWithIdle(lease);
                }
                else
                {
                    _streams.Forget(lease);
                }

                throw ex.WithStatement(plan[0].Source.Sql);
            }
            catch
            {
                _streams.Forget(lease);
                throw;
            }

            var outcome = single ? InterpretExecute(response, plan[0]) : InterpretBatch(response, plan, framing);
            if (outcome.Error is null)
            {
                return outcome.Results!;
            }

            if (outcome.Error.Code == ResponseTooLarge && readOnly)
            {
                // A reader streams it instead (RemoteSession); anything else takes it whole.
                return streamLargeResults ? throw outcome.ToException() : await ExecuteThroughCursorAsync(plan, null, async, token).ConfigureAwait(false);
            }

            if (outcome.SafeToRetry && outcome.Error.IsBusy)
            {
                busySince ??= Stopwatch.GetTimestamp();
                if (Stopwatch.GetElapsedTime(busySince.Value) < _options.BusyTimeout)
                {
                    await RetryDelays.WaitAsync(RetryDelays.Next(busyAttempt++, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(250)), async, token).ConfigureAwait(false);
                    continue;
                }
            }

            throw outcome.ToException();
        }
    }

    private async ValueTask<HranaStatementResult[]> ExecuteInTransactionAsync(IReadOnlyList<PlannedStatement> plan, RemoteTransactionState transaction, bool streamLargeResults, bool async, CancellationToken token)
    {
        if (transaction.Completed)
        {
            throw new InvalidOperationException("This transaction has already been committed or rolled back.");
        }

        if (transaction.Broken is { } broken)
        {
            throw LibSqlException.CausedBy($"The transaction can no longer be used: {broken.Message}", broken, plan[0].Source.Sql);
        }

        // Deferred SAVEPOINT and RELEASE statements go first, chained like the rest: the request's own statements run
        // only if they succeeded.
        var deferred = transaction.Pending.Count;
        if (deferred > 0)
        {
            List<PlannedStatement> pending = [.. transaction.Pending];
            transaction.Pending.Clear();
            if (plan.All(p => p.Source.IsReadOnly))
            {
                // A read may come back too large for one response and be run again through a cursor, which must not
                // run the savepoints twice: they go first on their own.
                await ExecuteInTransactionAsync(pending, transaction, streamLargeResults: false, async, token).ConfigureAwait(false);
                deferred = 0;
            }
            else
            {
                plan = [.. pending, .. plan];
            }
        }

        var framing = !transaction.Begun
            ? BatchFraming.BeginThenChained
            : _client.SupportsHrana3 ? BatchFraming.InTransaction : BatchFraming.Chained;
        IReadOnlyList<HranaRequest> requests = [HranaRequest.Batch(BuildSteps(plan, framing, transaction.BeginStatement))];
        transaction.ConnectionChanged |= !LeavesConnectionAsNew(plan);
        HranaPipelineResponse response;
        try
        {
            while (true)
            {
                LeaseFirstStream(transaction);
                try
                {
                    response = await _client.SendAsync(transaction.Baton, transaction.BaseUrl, requests, async, token).ConfigureAwait(false);
                    break;
                }
                catch (LibSqlException ex) when (framing == BatchFraming.BeginThenChained && ForgetUnknownStream(transaction, ex))
                {
                }
            }
        }
        catch (LibSqlException ex)
        {
            // An HTTP error invalidates the stream (spec); only a request that never left keeps it usable.
            if (!ex.RequestNotSent)
            {
                transaction.Break(ex, streamLost: true);
            }

            throw ex.WithStatement(plan[0].Source.Sql);
        }

        transaction.Baton = response.Baton;
        transaction.BaseUrl = response.BaseUrl ?? transaction.BaseUrl;
        var outcome = InterpretBatch(response, plan, framing);
        if (framing == BatchFraming.BeginThenChained && outcome.BeginSucceeded)
        {
            transaction.Begun = true;
        }

        if (outcome.Error is null)
        {
            if (response.Baton is null)
            {
                transaction.Break(new LibSqlException("The server closed the transaction's stream.", "STREAM_CLOSED"), streamLost: true);
            }

            return deferred == 0 ? outcome.Results! : outcome.Results![deferred..];
        }

        if (outcome.FailedStatement is { CommandIndex: < 0 })
        {
            // A deferred statement failed: a savepoint's (e.g. RELEASE of an unknown savepoint), and which savepoints exist
            // is no longer known, so a later ROLLBACK TO could undo more than its caller meant; or a deferred write, whose
            // caller has moved on believing it done. The transaction ends here, and will not commit.
            var deferredFailure = outcome.ToException().BeforeCommit();
            transaction.Break(deferredFailure, streamLost: false);
            throw deferredFailure;
        }

        if (outcome.Error.Code == ResponseTooLarge && response.Baton is not null && plan.All(p => p.Source.IsReadOnly))
        {
            return streamLargeResults ? throw outcome.ToException() : await ExecuteThroughCursorAsync(plan, transaction, async, token).ConfigureAwait(false);
        }

        var exception = outcome.ToException();
        if (exception.Code is "TRANSACTION_TIMEOUT" or "TRANSACTION_ROLLED_BACK" or "STREAM_EXPIRED" || response.Baton is null)
        {
            transaction.Break(exception, streamLost: response.Baton is null);
        }

        throw exception;
    }

    /// <summary>
    /// Re-runs read-only statements whose result exceeded the server's response limit through the cursor endpoint,
    /// which streams rows, then closes an autocommit stream (a cursor cannot carry the close itself).
    /// </summary>
    private async ValueTask<HranaStatementResult[]> ExecuteThroughCursorAsync(IReadOnlyList<PlannedStatement> plan, RemoteTransactionState? transaction, bool async, CancellationToken token)
    {
        var framing = transaction is not null && _client.SupportsHrana3 ? BatchFraming.InTransaction : BatchFraming.Chained;
        var steps = BuildSteps(plan, framing, null);
        HranaPipelineResponse response;
        try
        {
            response = await _client.SendCursorAsync(transaction?.Baton, transaction?.BaseUrl, steps, async, token).ConfigureAwait(false);
        }
        catch (LibSqlException ex)
        {
            if (transaction is not null && !ex.RequestNotSent)
            {
                transaction.Break(ex, streamLost: true);
            }

            throw ex.WithStatement(plan[0].Source.Sql);
        }

        if (transaction is not null)
        {
            transaction.Baton = response.Baton;
            transaction.BaseUrl = response.BaseUrl ?? transaction.BaseUrl;
        }
        else if (response.Baton is not null)
        {
            try
            {
                await _client.SendAsync(response.Baton, response.BaseUrl, [HranaRequest.Close], async, token).ConfigureAwait(false);
            }
            catch (LibSqlException)
            {
                // The stream expires on its own within seconds; the rows are already here.
            }
        }

        var outcome = InterpretBatch(response, plan, framing);
        return outcome.Error is null ? outcome.Results! : throw outcome.ToException();
    }

    /// <summary>
    /// Closes the idle streams the pool still holds (best effort, within 2 s): the data source is going away, and sqld
    /// refuses new streams past 128 open ones. Streams out on a lease end with their request or transaction.
    /// </summary>
    public async ValueTask CloseIdleStreamsAsync(bool async)
    {
        var idle = _streams.TakeIdle();
        if (idle.Count == 0)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        foreach (var stream in idle)
        {
            try
            {
                await _client.SendAsync(stream.Baton, stream.BaseUrl, [HranaRequest.Close], async, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is LibSqlException or OperationCanceledException or NotSupportedException)
            {
                // The server expires it within seconds anyway. (NotSupported: a synchronous request over HTTP/2.)
            }
        }
    }

    /// <summary>
    /// Whether a stream is as a new one would be after these statements, as far as its connection goes: they read, write
    /// rows, or open and end transactions (the server's <c>get_autocommit</c> answers for those). A PRAGMA, ATTACH, a
    /// schema change (a temporary table) or anything else may leave the connection different, so its stream is closed.
    /// </summary>
    internal static bool LeavesConnectionAsNew(IReadOnlyList<PlannedStatement> plan)
    {
        foreach (var statement in plan)
        {
            if (statement.Source.MainVerb is not ("SELECT" or "VALUES" or "EXPLAIN" or "INSERT" or "UPDATE" or "DELETE" or "REPLACE"
                or "BEGIN" or "COMMIT" or "END" or "ROLLBACK" or "SAVEPOINT" or "RELEASE"))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A transaction's first request goes on an idle stream when there is one (or a new one the pool will keep).</summary>
    private void LeaseFirstStream(RemoteTransactionState transaction)
    {
        if (transaction.Baton is null && !transaction.Begun && !transaction.Lease.Kept && transaction.Broken is null && _client.Hrana3Confirmed)
        {
            transaction.Lease = _streams.Rent();
            transaction.Baton = transaction.Lease.Baton;
            transaction.BaseUrl = transaction.Lease.BaseUrl;
        }
    }

    /// <summary>
    /// When a transaction's first request was refused because the server no longer knew its pooled stream (nothing ran),
    /// forgets that stream and the other idle ones, so the request can go again on a new stream.
    /// </summary>
    private bool ForgetUnknownStream(RemoteTransactionState transaction, LibSqlException ex)
    {
        if (!transaction.Lease.Reused || !ex.StreamUnknown)
        {
            return false;
        }

        ForgetWithIdle(transaction.Lease);
        transaction.Lease = StreamLease.OneOff;
        transaction.Baton = null;
        transaction.BaseUrl = null;
        return true;
    }

    /// <summary>A stream the server may have forgotten: it and every idle stream (likely forgotten with it) leave the pool.</summary>
    private void ForgetWithIdle(StreamLease lease)
    {
        _streams.Forget(lease);
        _streams.DropIdle();
    }

    /// <summary>
    /// Ends a kept lease after its request: the stream goes back to the pool if the server says it is outside any
    /// transaction (the request's last answer, <c>get_autocommit</c>); otherwise it is closed, which rolls back what a
    /// statement left open (a bare BEGIN), as a one-off request's own close would have.
    /// </summary>
    private async ValueTask SettleAsync(StreamLease lease, string? baseUrl, HranaPipelineResponse response, bool async, CancellationToken token)
    {
        if (!lease.Kept)
        {
            return;
        }

        var url = response.BaseUrl ?? baseUrl;
        if (response.Baton is { } baton && response.Results.Count > 0 && response.Results[^1].IsAutocommit == true)
        {
            _streams.Return(lease, baton, url);
            return;
        }

        _streams.Forget(lease);
        if (response.Baton is { } open)
        {
            try
            {
                await _client.SendAsync(open, url, [HranaRequest.Close], async, token).ConfigureAwait(false);
            }
            catch (LibSqlException)
            {
                // The server rolls back and closes it when it expires.
            }
        }
    }

    internal static List<HranaBatchStep> BuildSteps(IReadOnlyList<PlannedStatement> plan, BatchFraming framing, string? beginStatement)
    {
        var steps = new List<HranaBatchStep>(plan.Count + 3);
        switch (framing)
        {
            case BatchFraming.Atomic:
                steps.Add(new HranaBatchStep(HranaStatement.Plain("BEGIN IMMEDIATE")));
                break;
            case BatchFraming.BeginThenChained:
                steps.Add(new HranaBatchStep(HranaStatement.Plain(beginStatement!)));
                break;
            case BatchFraming.BeginIfNeeded:
                steps.Add(new HranaBatchStep(HranaStatement.Plain(beginStatement!), new HranaCondition(HranaConditionKind.IsAutocommit)));
                break;
        }

        foreach (var statement in plan)
        {
            var index = steps.Count;
            var first = index == (framing == BatchFraming.BeginIfNeeded ? 1 : 0);
            var condition = !first
                ? HranaCondition.Ok(index - 1)
                : framing is BatchFraming.InTransaction or BatchFraming.BeginIfNeeded ? HranaCondition.InTransaction : null;
            steps.Add(new HranaBatchStep(statement.Statement, condition));
        }

        if (framing == BatchFraming.Atomic)
        {
            var last = steps.Count - 1;
            steps.Add(new HranaBatchStep(HranaStatement.Plain("COMMIT"), HranaCondition.Ok(last)));
            steps.Add(new HranaBatchStep(HranaStatement.Plain("ROLLBACK"), HranaCondition.Not(HranaCondition.Ok(last + 1))));
        }

        return steps;
    }

    private static ExecutionOutcome InterpretExecute(HranaPipelineResponse response, PlannedStatement statement)
    {
        if (response.Results.Count == 0)
        {
            return ExecutionOutcome.Failed(new HranaError("The server sent no result for the statement.", "PROTOCOL_ERROR"), statement, safeToRetry: false);
        }

        var first = response.Results[0];
        if (first.Error is { } error)
        {
            return ExecutionOutcome.Failed(error, statement, safeToRetry: true);
        }

        return ExecutionOutcome.Succeeded([first.Execute ?? HranaStatementResult.Empty], beginSucceeded: false);
    }

    private static ExecutionOutcome InterpretBatch(HranaPipelineResponse response, IReadOnlyList<PlannedStatement> plan, BatchFraming framing)
    {
        if (response.Results.Count == 0)
        {
            return ExecutionOutcome.Failed(new HranaError("The server sent no result for the batch.", "PROTOCOL_ERROR"), plan[0], safeToRetry: false);
        }

        var first = response.Results[0];
        if (first.Error is { } requestError)
        {
            // The whole request failed before any step ran (e.g. TRANSACTION_TIMEOUT on a stolen stream).
            return ExecutionOutcome.Failed(requestError, plan[0], safeToRetry: framing != BatchFraming.InTransaction && framing != BatchFraming.BeginThenChained);
        }

        var batch = first.Batch;
        if (batch is null)
        {
            return ExecutionOutcome.Failed(new HranaError("The server answered a batch with something else.", "PROTOCOL_ERROR"), plan[0], safeToRetry: false);
        }

        var offset = framing is BatchFraming.Atomic or BatchFraming.BeginThenChained ? 1 : 0;
        var autocommit = framing is BatchFraming.Atomic or BatchFraming.Chained;
        if (offset == 1 && batch.ErrorAt(0) is { } beginError)
        {
            return ExecutionOutcome.Failed(beginError, null, safeToRetry: autocommit, statementText: "BEGIN");
        }

        var results = new HranaStatementResult[plan.Count];
        for (var i = 0; i < plan.Count; i++)
        {
            var step = offset + i;
            if (batch.ErrorAt(step) is { } stepError)
            {
                // An atomic batch rolled everything back; a chained one wrote nothing before its first step.
                var safe = framing == BatchFraming.Atomic || (framing == BatchFraming.Chained && i == 0);
                return ExecutionOutcome.Failed(stepError, plan[i], safe, beginSucceeded: offset == 1);
            }

            var result = batch.ResultAt(step);
            if (result is null)
            {
                var skipped = framing == BatchFraming.InTransaction && i == 0
                    ? new HranaError("The server had already ended this transaction (rolled back, e.g. after another writer took its lock); the statement was not run.", "TRANSACTION_ROLLED_BACK")
                    : new HranaError("The server skipped a batch step without reporting an error.", "PROTOCOL_ERROR");
                return ExecutionOutcome.Failed(skipped, plan[i], safeToRetry: false, beginSucceeded: offset == 1);
            }

            results[i] = result;
        }

        if (framing == BatchFraming.Atomic && batch.ErrorAt(plan.Count + 1) is { } commitError)
        {
            return ExecutionOutcome.Failed(commitError, null, safeToRetry: true, statementText: "COMMIT");
        }

        return ExecutionOutcome.Succeeded(results, beginSucceeded: offset == 1);
    }

    private static bool CanResend(LibSqlException ex, bool readOnly) =>
        (ex.RequestNotSent && ex.Code != LibSqlException.CircuitOpenCode)
        || ex.HttpStatusCode == 429
        || (readOnly && (ex.HttpStatusCode is 502 or 503 or 504 || ex.Code == "NETWORK_ERROR"));

    private static CancellationTokenSource? CreateTimeout(int timeoutSeconds, CancellationToken cancellationToken)
    {
        if (timeoutSeconds <= 0)
        {
            return null;
        }

        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        return source;
    }

    internal static string Describe(HranaError error, string? statement) => error.Message.Length == 0
        ? $"libSQL error {error.Code}" + (statement is null ? "." : $" in: {statement}")
        : error.Message;
}
