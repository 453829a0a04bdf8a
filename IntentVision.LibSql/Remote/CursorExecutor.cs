using System.Data;
using System.Diagnostics;
using IntentVision.LibSql.Execution;
using IntentVision.LibSql.Hrana;
using IntentVision.LibSql.Telemetry;

namespace IntentVision.LibSql.Remote;

/// <summary>
/// Runs a reader's statements through <c>/v3/cursor</c>, so its rows stream instead of arriving in one response.
/// Who streams, and why:
/// <list type="bullet">
/// <item>ExecuteReader of read-only statements whose result is larger than the server puts in one pipeline response
/// (sqld answers RESPONSE_TOO_LARGE past <c>--max-response-size</c>, 10 MB by default, having stopped the statement
/// there): the reader then streams, so memory is bounded by that limit whatever the result's size.</item>
/// <item>Not smaller results: sqld hands a cursor's entries one by one to the HTTP body, which costs it several
/// times more per row than building one pipeline response (measured here: 500 rows 3 ms against 15 ms, 10,080 rows
/// 30 ms against 200 ms), so the pipeline answers them and streaming costs a large result one wasted attempt.</item>
/// <item>Not ExecuteNonQuery or ExecuteScalar (at most one value), nor readers asked for a single row
/// (<see cref="CommandBehavior.SingleRow"/>, as Dapper's QueryFirst), nor writes: writes keep the pipeline's retry
/// rules (busy, lost connections) that never apply a write twice, which a half-read stream could not honour.</item>
/// </list>
/// A cursor outside a transaction opens a stream of its own, closed by a second request sent as soon as the
/// response's first line names it: the server keeps the statement running on its own connection, so the close costs
/// no waiting and leaves no stream open whatever the reader does. Inside a transaction the cursor runs on the
/// transaction's stream and hands the baton on.
/// </summary>
internal sealed class CursorExecutor(HranaPipelineClient client, LibSqlDataSourceOptions options, LibSqlInstrumentation instrumentation)
{
    /// <summary>The server's answer to a pipeline whose response would pass its size limit.</summary>
    public const string ResponseTooLarge = "RESPONSE_TOO_LARGE";

    private const int MaxOpenAttempts = 4;

    /// <summary>
    /// Whether a command's results may stream: ExecuteReader of read-only statements, unless the caller said one row
    /// is enough (<see cref="CommandBehavior.SingleRow"/>, as Dapper's QueryFirst does), on a server with Hrana 3.
    /// </summary>
    public bool MayStream(ExecutionRequest request, IReadOnlyList<PlannedStatement> plan)
    {
        if (request.ReaderBehavior is not { } behavior || (behavior & CommandBehavior.SingleRow) != 0 || request.Atomic || plan.Count == 0 || !client.SupportsHrana3)
        {
            return false;
        }

        if (request.Transaction?.Remote is { } transaction && (transaction.Completed || transaction.Broken is not null))
        {
            // The pipeline path reports why the transaction cannot be used.
            return false;
        }

        foreach (var statement in plan)
        {
            if (!statement.Source.IsReadOnly)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Sends the cursor and reads up to the first result set. Null when the server has no cursor endpoint (Hrana 2):
    /// nothing ran, and the caller takes the pipeline.
    /// </summary>
    public async ValueTask<CursorResults?> OpenAsync(IReadOnlyList<PlannedStatement> plan, ExecutionRequest request, bool async, CancellationToken cancellationToken)
    {
        var transaction = request.Transaction?.Remote;
        var framing = transaction is null ? BatchFraming.Chained : transaction.Begun ? BatchFraming.InTransaction : BatchFraming.BeginIfNeeded;
        var steps = RemoteExecutor.BuildSteps(plan, framing, transaction?.BeginStatement);
        var readTimeout = request.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(request.TimeoutSeconds) : Timeout.InfiniteTimeSpan;
        var sql = plan[0].Source.Sql;
        var started = Stopwatch.GetTimestamp();
        var activity = instrumentation.StartActivity(request.Operation, sql);
        using var timeout = request.TimeoutSeconds > 0 ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        timeout?.CancelAfter(readTimeout);
        var token = timeout?.Token ?? cancellationToken;
        long? busySince = null;
        var attempt = 0;
        while (true)
        {
            var lifetime = new CursorLifetime(instrumentation, activity, started, request.Operation);
            HranaCursor? cursor = null;
            try
            {
                cursor = await client.OpenCursorAsync(transaction?.Baton, transaction?.BaseUrl, steps, readTimeout, async, token).ConfigureAwait(false);
                if (cursor is null)
                {
                    activity?.Dispose();
                    return null;
                }
            }
            catch (LibSqlException ex) when (transaction is null && CanSendAgain(ex) && ++attempt < MaxOpenAttempts)
            {
                await RetryDelays.WaitAsync(RetryDelays.Next(attempt, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)), async, token).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex)
            {
                var failure = OpenFailure(ex, timeout, cancellationToken, request.TimeoutSeconds, sql);
                if (transaction is not null && !(failure is LibSqlException { RequestNotSent: true }))
                {
                    // The request may have run and its baton is lost with the response: the transaction cannot go on.
                    transaction.Break(failure as LibSqlException ?? new LibSqlException("A command of this transaction was cancelled; its outcome is unknown.", "CANCELLED", sql, failure), streamLost: true);
                }

                instrumentation.Complete(activity, started, request.Operation, null, failure);
                if (ReferenceEquals(failure, ex))
                {
                    throw;
                }

                throw failure;
            }

            if (transaction is not null)
            {
                transaction.Baton = cursor.Baton;
                transaction.BaseUrl = cursor.BaseUrl ?? transaction.BaseUrl;
            }
            else
            {
                lifetime.ClosingStream(CloseStreamAsync(cursor.Baton, cursor.BaseUrl));
            }

            var results = new CursorResults(cursor, plan, framing, transaction, lifetime);
            if (transaction is not null)
            {
                // From now on the server may expire the stream while the statement runs (see TransactionKeepAlive).
                lifetime.KeepAlive(new TransactionKeepAlive(client, transaction, options.CommandTimeout));
            }

            try
            {
                await results.StartAsync(async, token).ConfigureAwait(false);
            }
            catch (LibSqlException ex) when (transaction is null && results.FailedAtFirstStatement && IsBusy(ex) && StillWaiting(ref busySince))
            {
                // Nothing was read and nothing written: as the pipeline does for an autocommit read, try again.
                await lifetime.EndWithoutTelemetryAsync(async).ConfigureAwait(false);
                await RetryDelays.WaitAsync(RetryDelays.Next(attempt++, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(250)), async, token).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex)
            {
                var failure = OpenFailure(ex, timeout, cancellationToken, request.TimeoutSeconds, sql);
                if (async)
                {
                    await results.CloseAsync().ConfigureAwait(false);
                }
                else
                {
                    results.Close();
                }

                if (ReferenceEquals(failure, ex))
                {
                    throw;
                }

                throw failure;
            }

            if (transaction is not null)
            {
                transaction.Cursor = results;
            }

            return results;
        }
    }

    private bool StillWaiting(ref long? busySince)
    {
        busySince ??= Stopwatch.GetTimestamp();
        return Stopwatch.GetElapsedTime(busySince.Value) < options.BusyTimeout;
    }

    private static bool IsBusy(LibSqlException ex) =>
        ex.Code is { } code && code.StartsWith("SQLITE_BUSY", StringComparison.Ordinal);

    /// <summary>Before any entry was read nothing of a read-only request has been used, so sending it again is safe.</summary>
    private static bool CanSendAgain(LibSqlException ex) =>
        (ex.RequestNotSent && ex.Code != LibSqlException.CircuitOpenCode) || ex.HttpStatusCode is 429 or 502 or 503 or 504 || ex.Code == "NETWORK_ERROR";

    /// <summary>The command's own deadline passing is a TIMEOUT error, as on the pipeline; the caller's cancellation stays one.</summary>
    private static Exception OpenFailure(Exception ex, CancellationTokenSource? timeout, CancellationToken cancellationToken, int timeoutSeconds, string sql) => ex switch
    {
        OperationCanceledException when timeout is not null && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested =>
            new LibSqlException($"The command did not complete within its timeout of {timeoutSeconds} s.", "TIMEOUT", sql, new TimeoutException(ex.Message, ex)),
        LibSqlException libSql => libSql.WithStatement(sql),
        _ => ex,
    };

    /// <summary>Closes an autocommit cursor's stream; the statement goes on to its end on the server's own connection.</summary>
    private async Task CloseStreamAsync(string? baton, string? baseUrl)
    {
        if (baton is null)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(options.CommandTimeout > TimeSpan.Zero ? options.CommandTimeout : TimeSpan.FromSeconds(30));
        try
        {
            await client.SendAsync(baton, baseUrl, [HranaRequest.Close], async: true, deadline.Token).ConfigureAwait(false);
        }
        catch (LibSqlException)
        {
            // The server expires an unused stream within seconds on its own.
        }
        catch (OperationCanceledException)
        {
        }
    }
}
