using IntentVision.LibSql.Execution;
using IntentVision.LibSql.Hrana;
using IntentVision.LibSql.Sql;

namespace IntentVision.LibSql.Remote;

/// <summary>
/// A connection's view of a libSQL server. It holds nothing of its own: outside a transaction every command is a
/// self-contained request on the data source's HTTP pool, and a transaction's stream lives in its
/// <see cref="RemoteTransactionState"/>. So one session serves every connection of a data source.
/// </summary>
internal sealed class RemoteSession(RemoteExecutor executor, SqlTextCache cache, LibSqlDataSourceOptions options) : ConnectionSession
{
    private readonly CursorExecutor _cursors = executor.CreateCursorExecutor();

    public override string ServerVersion => "libSQL (Hrana over HTTP)";

    public override async ValueTask<StatementResults> ExecuteAsync(ExecutionRequest request, bool async, CancellationToken cancellationToken)
    {
        var coalesce = request.BatchCommands is not null && options.CoalesceBatchInserts && (request.Atomic || request.Transaction is not null);
        var plan = StatementPlanner.Plan(request.Commands, cache, coalesce, request.WantRows);
        if (request.Transaction?.Remote?.Cursor is { } streaming)
        {
            // A reader still streams on this transaction's stream: it reads the rest into memory and lets go.
            await streaming.DetachAsync(async, cancellationToken).ConfigureAwait(false);
        }

        if (!request.WantRows && request.ReaderBehavior is null
            && request.Transaction is { WritesDeferred: true, Remote: { Completed: false, Broken: null } deferring }
            && plan.All(p => !p.Source.IsReadOnly))
        {
            // Sent with the transaction's next request or its COMMIT (LibSqlTransaction.DeferWrites): rows affected unknown.
            foreach (var statement in plan)
            {
                deferring.Pending.Add(statement with { CommandIndex = PlannedStatement.DeferredWrite });
            }

            foreach (var command in request.BatchCommands ?? [])
            {
                command.Affected = -1;
            }

            return new BufferedResults(plan, []);
        }

        var mayStream = _cursors.MayStream(request, plan);
        HranaStatementResult[] results;
        try
        {
            results = await executor
                .ExecuteAsync(plan, request.Transaction?.Remote, request.Atomic, request.TimeoutSeconds, request.Operation, async, cancellationToken, streamLargeResults: mayStream)
                .ConfigureAwait(false);
        }
        catch (LibSqlException ex) when (mayStream && ex.Code == CursorExecutor.ResponseTooLarge && _cursors.MayStream(request, plan))
        {
            // More than the server puts in one response: the reader streams it through a cursor instead, unless the
            // server has no cursors (Hrana 2), where the result comes whole as it always did. Traces show the refused
            // attempt (error RESPONSE_TOO_LARGE), then the cursor's span, which ends when the reader closes.
            if (await _cursors.OpenAsync(plan, request, async, cancellationToken).ConfigureAwait(false) is { } streamed)
            {
                return streamed;
            }

            results = await executor
                .ExecuteAsync(plan, request.Transaction?.Remote, request.Atomic, request.TimeoutSeconds, request.Operation, async, cancellationToken)
                .ConfigureAwait(false);
        }

        if (request.BatchCommands is { } commands)
        {
            AssignAffected(plan, results, commands);
        }

        return new BufferedResults(plan, results);
    }

    public override bool TryDefer(LibSqlTransaction transaction, string sql)
    {
        if (transaction.Remote is not { Completed: false, Broken: null } remote)
        {
            return false;
        }

        var statement = cache.Get(sql).Statements[0];
        const string Release = "RELEASE SAVEPOINT ";
        var released = sql.StartsWith(Release, StringComparison.Ordinal) ? sql[Release.Length..] : null;
        remote.Defer(new PlannedStatement(HranaStatement.Plain(statement.Sql), statement, PlannedStatement.DeferredSavepoint), released);
        return true;
    }

    public override void Begin(LibSqlTransaction transaction) =>
        transaction.Remote = new RemoteTransactionState(transaction.Deferred ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");

    public override async ValueTask CompleteAsync(LibSqlTransaction transaction, bool commit, bool quiet, bool async, CancellationToken cancellationToken)
    {
        if (transaction.Remote?.Cursor is { } streaming)
        {
            // COMMIT keeps an open reader readable (the rest comes into memory); after ROLLBACK its rows mean nothing.
            await (commit ? streaming.DetachAsync(async, cancellationToken) : streaming.AbandonAsync(async)).ConfigureAwait(false);
        }

        try
        {
            await executor.CompleteAsync(transaction.Remote!, commit, quiet, transaction.TimeoutSeconds, async, cancellationToken).ConfigureAwait(false);
        }
        catch (LibSqlException ex) when (!commit && ex.Code is "STREAM_EXPIRED" or "HTTP_400")
        {
            // The server already dropped the stream, and with it the transaction: that is a rollback.
        }
    }

    public override void Close()
    {
    }

    private static void AssignAffected(IReadOnlyList<PlannedStatement> plan, HranaStatementResult[] results, IReadOnlyList<LibSqlBatchCommand> commands)
    {
        for (var i = 0; i < plan.Count; i++)
        {
            var planned = plan[i];
            var result = results[i];
            if (result.Columns.Count > 0 && result.AffectedRowCount == 0)
            {
                continue;
            }

            if (planned.CommandCount > 1)
            {
                // A multi-row INSERT adds (or updates) one row per VALUES tuple, i.e. one per original command.
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
    }
}
