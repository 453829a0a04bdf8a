using System.Threading.Channels;
using IntentVision.LibSql;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntentVision.Data.Writing;

/// <summary>
/// The one writer of the database, a hosted singleton. SQLite has one writer, on the file and behind sqld, so
/// concurrent callers are not given a transaction each (they would queue on the write lock: on the file asleep in the
/// busy handler; on sqld concurrent write transactions were seen to stall until the command timeout). Callers enqueue
/// units of work; one loop takes every unit waiting and runs them in one transaction, each under its own savepoint,
/// so a failing unit is rolled back alone and the others still commit (group commit). A caller's task completes only
/// after the COMMIT that holds its unit.
/// </summary>
/// <remarks>
/// Stopping refuses new units with <see cref="WriterStoppedException"/> and drains those already queued; only if the
/// host's shutdown deadline passes first are the remaining ones failed (and the group in flight rolled back).
/// <see cref="IWriteGroupParticipant"/>s join every group (anomaly detection does): the writer calls them around the
/// units, on its transaction, without knowing what they do.
/// </remarks>
public sealed class DatabaseWriter(
    LibSqlDataSource dataSource,
    TimeProvider timeProvider,
    IEnumerable<IWriteGroupParticipant>? participants = null,
    ILogger<DatabaseWriter>? logger = null) : IHostedService, IDisposable
{
    /// <summary>A group stops growing at this much weight (points), so one transaction stays short; the first unit always goes.</summary>
    public const int MaxGroupWeight = 50_000;

    private const string Savepoint = "unit";

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _abort = new();
    private readonly IWriteGroupParticipant[] _participants = participants?.ToArray() ?? [];
    private readonly ILogger _logger = logger ?? NullLogger<DatabaseWriter>.Instance;
    private Task? _loop;

    /// <summary>
    /// Queues <paramref name="unit"/> and completes with its result once the group holding it has committed; fails with
    /// <see cref="WriterStoppedException"/> once the writer has stopped.
    /// </summary>
    public Task<TResult> WriteAsync<TResult>(IWriteUnit<TResult> unit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var pending = new PendingWrite<TResult>(unit, cancellationToken);
        return _queue.Writer.TryWrite(pending)
            ? pending.Task
            : Task.FromException<TResult>(new WriterStoppedException("The database writer has stopped (the service is shutting down); nothing was written. Retry against a running instance."));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= RunAsync();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is null)
        {
            FailQueued();
            return;
        }

        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time: abort the group in flight and fail what is still queued, then let the loop end.
            await _abort.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        // Stopped or not, nothing more is accepted and the loop ends once the queue is empty.
        _queue.Writer.TryComplete();
        _abort.Dispose();
    }

    private async Task RunAsync()
    {
        // Off the caller of StartAsync: the loop lives until StopAsync completes the queue and it is drained.
        await Task.Yield();
        var reader = _queue.Reader;
        var group = new List<PendingWrite>();
        PendingWrite? carried = null;
        while (carried is not null || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var weight = 0;
            if (carried is not null)
            {
                group.Add(carried);
                weight = carried.Weight;
                carried = null;
            }

            while (reader.TryRead(out var next))
            {
                if (group.Count > 0 && weight + next.Weight > MaxGroupWeight)
                {
                    carried = next;
                    break;
                }

                group.Add(next);
                weight += next.Weight;
            }

            if (_abort.IsCancellationRequested)
            {
                Fail(group, new WriterStoppedException("The database writer stopped before it could write this (the shutdown deadline passed); nothing was written."));
                continue;
            }

            group.RemoveAll(p => p.TryCancel());
            if (group.Count > 0)
            {
                await WriteGroupAsync(group).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteGroupAsync(List<PendingWrite> group)
    {
        var failed = new Exception?[group.Count];
        var begun = 0;
        var committed = false;
        try
        {
            var token = _abort.Token;
            await using var connection = await dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
            var scope = new WriteScope(connection, transaction, timeProvider.GetUtcNow());
            if (_participants.Length > 0)
            {
                var units = group.ConvertAll(p => p.Unit);
                for (; begun < _participants.Length; begun++)
                {
                    _participants[begun].Begin(units);
                }
            }

            for (var i = 0; i < group.Count; i++)
            {
                if (group.Count == 1)
                {
                    // Alone in its group: its failure fails the transaction anyway, so no savepoint round trip.
                    await group[i].RunAsync(scope, token).ConfigureAwait(false);
                    continue;
                }

                await transaction.SaveAsync(Savepoint, token).ConfigureAwait(false);
                try
                {
                    await group[i].RunAsync(scope, token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // This unit alone is undone; a failure to roll back ends the transaction and fails the whole group below.
                    failed[i] = e;
                    await transaction.RollbackAsync(Savepoint, token).ConfigureAwait(false);
                }

                await transaction.ReleaseAsync(Savepoint, token).ConfigureAwait(false);
            }

            if (_participants.Length > 0)
            {
                var written = new List<WrittenUnit>(group.Count);
                for (var i = 0; i < group.Count; i++)
                {
                    if (failed[i] is null)
                    {
                        written.Add(new WrittenUnit(group[i].Unit, group[i].Result));
                    }
                }

                foreach (var participant in _participants)
                {
                    await participant.BeforeCommitAsync(scope, written, token).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(token).ConfigureAwait(false);
            committed = true;
        }
        catch (Exception e)
        {
            // Nothing of this group was committed: every unit not failed yet fails with the cause.
            for (var i = 0; i < group.Count; i++)
            {
                failed[i] ??= e;
            }
        }

        EndGroup(begun, committed);
        for (var i = 0; i < group.Count; i++)
        {
            if (failed[i] is { } error)
            {
                group[i].Fail(error);
            }
            else
            {
                group[i].Complete();
            }
        }
    }

    /// <summary>Tells the participants that began this group how it ended (before its callers hear of it).</summary>
    private void EndGroup(int begun, bool committed)
    {
        for (var i = 0; i < begun; i++)
        {
            try
            {
                if (committed)
                {
                    _participants[i].Committed();
                }
                else
                {
                    _participants[i].RolledBack();
                }
            }
            catch (Exception e)
            {
                // A participant's bug must not stop the writer: the group's outcome stands either way.
                _logger.LogError(e, "Write group participant {Participant} failed after the group ended", _participants[i].GetType().Name);
            }
        }
    }

    private void FailQueued()
    {
        var left = new List<PendingWrite>();
        while (_queue.Reader.TryRead(out var pending))
        {
            left.Add(pending);
        }

        Fail(left, new WriterStoppedException("The database writer was stopped before it started; nothing was written."));
    }

    private static void Fail(List<PendingWrite> group, Exception error)
    {
        foreach (var pending in group)
        {
            pending.Fail(error);
        }
    }

    /// <summary>A unit waiting for the writer, and the task its caller awaits.</summary>
    private abstract class PendingWrite(int weight, CancellationToken cancellationToken)
    {
        public int Weight { get; } = Math.Max(1, weight);

        protected CancellationToken CallerToken { get; } = cancellationToken;

        /// <summary>A unit cancelled while it waited is dropped before anything of it is written.</summary>
        public abstract bool TryCancel();

        /// <summary>The unit as its caller gave it (for the group's participants).</summary>
        public abstract object Unit { get; }

        /// <summary>The unit's result once it has run.</summary>
        public abstract object? Result { get; }

        public abstract Task RunAsync(WriteScope scope, CancellationToken cancellationToken);

        /// <summary>After COMMIT: hands the caller its result.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite<TResult>(IWriteUnit<TResult> unit, CancellationToken cancellationToken)
        : PendingWrite(unit.Weight, cancellationToken)
    {
        private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TResult? _result;

        public Task<TResult> Task => _completion.Task;

        public override object Unit => unit;

        public override object? Result => _result;

        public override bool TryCancel() => CallerToken.IsCancellationRequested && _completion.TrySetCanceled(CallerToken);

        public override async Task RunAsync(WriteScope scope, CancellationToken cancellationToken) =>
            _result = await unit.WriteAsync(scope, cancellationToken).ConfigureAwait(false);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception error) => _completion.TrySetException(error);
    }
}
