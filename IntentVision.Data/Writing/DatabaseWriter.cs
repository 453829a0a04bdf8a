using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using IntentVision.LibSql;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntentVision.Data.Writing;

/// <summary>
/// The one writer of the database, a hosted singleton: every write transaction of the process goes through it. SQLite
/// has one writer, on the file and behind sqld; concurrent write transactions would queue on the write lock (on the file
/// asleep in the busy handler; on sqld in its lock-stealing busy handler, which was seen to wedge the server for good
/// with several waiters). Callers enqueue units of work; one loop takes every unit waiting and runs them in one
/// transaction, each under its own savepoint, so a failing unit is rolled back alone and the others still commit
/// (group commit). A caller's task completes only after the COMMIT that holds its unit.
/// </summary>
/// <remarks>
/// <para>Failures surface, they never wedge: a caller waits at most <see cref="DatabaseWriterOptions.WriteTimeout"/>
/// (then <see cref="WriteTimeoutException"/>; a unit still queued is dropped and writes nothing); while the data source's
/// circuit is open, writes fail at once; a group that failed before anything committed (another process's writer held
/// the lock, the server rolled the transaction back, a stream expired, a request never left) runs again after a backoff
/// with jitter, while its callers still wait. A COMMIT whose outcome is unknown is never repeated: its callers get the
/// failure, and their retry is made safe by idempotency keys and upserts.</para>
/// <para>Stopping refuses new units with <see cref="WriterStoppedException"/> and drains those already queued; only if
/// the host's shutdown deadline passes first are the remaining ones failed (and the group in flight rolled back).</para>
/// <para><see cref="IWriteGroupParticipant"/>s join every attempt of every group (anomaly detection does): the writer
/// calls them around the units, on its transaction, without knowing what they do; a group written again after a failure
/// is begun again. <see cref="IWriteGroupCompanion"/>s (key usage) add their pending bookkeeping after the units, each
/// under its own savepoint, so their failure never fails the group.</para>
/// <para>On a server a round trip is the cost that counts, so a group's first attempt saves them: units may defer the
/// writes whose answers they need not read (<see cref="WriteScope.MayDefer"/>: an ingest call appending to series the
/// writer knows), units that can go ahead (<see cref="IWriteAheadUnit"/>: the other ingest calls) write together in one
/// request before any of them runs, and the participants' writes travel with the COMMIT. A group of appends to known
/// series is then one request. If a shortcut fails, the group runs again without them.</para>
/// </remarks>
public sealed class DatabaseWriter : IHostedService, IDisposable
{
    private const string Savepoint = "unit";

    private readonly LibSqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly IWriteGroupCompanion[] _companions;
    private readonly IWriteGroupParticipant[] _participants;
    private readonly ILogger _logger;
    private readonly WriterMetrics _metrics;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _statusLock = new();

    /// <summary>What kinds of unit keep from group to group (<see cref="WriteScope.Kept{T}"/>); used by the loop alone.</summary>
    private readonly Dictionary<Type, object> _kept = [];

    /// <summary>
    /// Units taken from the queue for the next group, in queue order: those a group had no time for, and on a server those
    /// that arrived while a COMMIT was on its way (<see cref="IWriteGroupParticipant.Upcoming"/>). Used by the loop alone.
    /// </summary>
    private readonly List<PendingWrite> _carried = [];

    /// <summary>The queue's one wait for units, left pending when a COMMIT answered first; the loop's next wait takes it.</summary>
    private Task<bool>? _waitingForUnits;
    private Task? _loop;

    /// <summary>
    /// The writer's connection, kept from group to group while they succeed: a connection keeps the statements it
    /// prepared, and opening one per group prepared every statement of every group again (BEGIN, the savepoints, the
    /// upserts; on the file a small upsert took 23 us on a new connection, 7 us on a kept one). A failed group closes it,
    /// so the next opens anew (and a handle the failure poisoned is not reused). Used by the loop alone.
    /// </summary>
    private LibSqlConnection? _connection;
    private int _queued;
    private long _groupRunningSince;
    private DateTimeOffset? _lastCommitAt;
    private LibSqlException? _lastFailure;
    private DateTimeOffset? _lastFailureAt;
    private int _consecutiveFailures;

    public DatabaseWriter(
        LibSqlDataSource dataSource,
        TimeProvider timeProvider,
        DatabaseWriterOptions? options = null,
        IEnumerable<IWriteGroupCompanion>? companions = null,
        IEnumerable<IWriteGroupParticipant>? participants = null,
        ILogger<DatabaseWriter>? logger = null)
    {
        _dataSource = dataSource;
        _time = timeProvider;
        Options = options ?? new DatabaseWriterOptions();
        _companions = companions?.ToArray() ?? [];
        _participants = participants?.ToArray() ?? [];
        _logger = logger ?? NullLogger<DatabaseWriter>.Instance;
        _metrics = new WriterMetrics(() => Volatile.Read(ref _queued));
    }

    public DatabaseWriterOptions Options { get; }

    /// <summary>What the database behind the writer is: callers prepare their units for it on their own threads.</summary>
    public LibSqlCapabilities Capabilities => _dataSource.Capabilities;

    /// <summary>What the writer last saw: queue, group in flight, last commit, last failure.</summary>
    public WriterStatus Status
    {
        get
        {
            lock (_statusLock)
            {
                var since = Volatile.Read(ref _groupRunningSince);
                return new WriterStatus(
                    Volatile.Read(ref _queued),
                    since == 0 ? null : _time.GetUtcNow() - Stopwatch.GetElapsedTime(since),
                    _lastCommitAt,
                    _lastFailure?.Kind,
                    _lastFailure?.Code,
                    _lastFailureAt,
                    _consecutiveFailures);
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="unit"/> and completes with its result once the group holding it has committed. Fails with
    /// the unit's own failure, the group's, <see cref="WriteTimeoutException"/> past the deadline, a CIRCUIT_OPEN
    /// <see cref="LibSqlException"/> while the server is known to be down, or <see cref="WriterStoppedException"/>.
    /// </summary>
    public Task<TResult> WriteAsync<TResult>(IWriteUnit<TResult> unit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        try
        {
            _dataSource.ThrowIfCircuitOpen();
        }
        catch (LibSqlException open)
        {
            return Task.FromException<TResult>(open);
        }

        // The deadline runs from now, before the writer can see the unit (it may complete it at once).
        Interlocked.Increment(ref _queued);
        var pending = new PendingWrite<TResult>(unit, Options.WriteTimeout, cancellationToken, () => Interlocked.Decrement(ref _queued));
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Fail(new WriterStoppedException("The database writer has stopped (the service is shutting down); nothing was written. Retry against a running instance."));
        }

        return pending.Task;
    }

    /// <summary>Queues a unit written as a function (see <see cref="WriteAsync{TResult}(IWriteUnit{TResult}, CancellationToken)"/>).</summary>
    public Task<TResult> WriteAsync<TResult>(Func<WriteScope, CancellationToken, Task<TResult>> write, CancellationToken cancellationToken = default, int weight = 1) =>
        WriteAsync(new DelegateWriteUnit<TResult>(weight, write), cancellationToken);

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
            FailQueued(new WriterStoppedException("The database writer was stopped before it started; nothing was written."));
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
        _metrics.Dispose();
    }

    private async Task RunAsync()
    {
        // Off the caller of StartAsync: the loop lives until StopAsync completes the queue and it is drained.
        await Task.Yield();
        try
        {
            await WriteQueuedAsync().ConfigureAwait(false);
        }
        finally
        {
            await CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private async Task WriteQueuedAsync()
    {
        var reader = _queue.Reader;
        var carried = _carried;
        while (carried.Count > 0 || await WaitForUnitsAsync().ConfigureAwait(false))
        {
            var group = TakeGroup(carried, reader);
            if (_abort.IsCancellationRequested)
            {
                foreach (var pending in group)
                {
                    pending.Fail(new WriterStoppedException("The database writer stopped before it could write this (the shutdown deadline passed); nothing was written."));
                }

                continue;
            }

            group.RemoveAll(p => !p.IsWaiting);
            if (group.Count > 0)
            {
                carried.InsertRange(0, await WriteGroupAsync(group).ConfigureAwait(false));
            }
        }
    }

    /// <summary>The units carried from the last group first, then what the queue holds, up to the group's weight.</summary>
    private List<PendingWrite> TakeGroup(List<PendingWrite> carried, ChannelReader<PendingWrite> reader)
    {
        var group = new List<PendingWrite>();
        var weight = 0;
        var full = false;
        var taken = 0;
        foreach (var pending in carried)
        {
            if (group.Count > 0 && weight + pending.Weight > Options.MaxGroupWeight)
            {
                full = true;
                break;
            }

            group.Add(pending);
            weight += pending.Weight;
            taken++;
        }

        carried.RemoveRange(0, taken);
        if (!full)
        {
            TakeQueued(group, weight, reader);
        }

        return group;
    }

    /// <summary>
    /// Moves units from the queue to the end of <paramref name="group"/>, which already weighs <paramref name="weight"/>,
    /// while the group's weight allows (a group takes at least one unit); returns the new weight.
    /// </summary>
    private int TakeQueued(List<PendingWrite> group, int weight, ChannelReader<PendingWrite> reader)
    {
        while (reader.TryPeek(out var next) && (group.Count == 0 || weight + next.Weight <= Options.MaxGroupWeight))
        {
            reader.TryRead(out _);
            group.Add(next);
            weight += next.Weight;
        }

        return weight;
    }

    /// <summary>Writes the group, again after a failure that committed nothing while callers wait; returns the units it had no time for.</summary>
    private async Task<List<PendingWrite>> WriteGroupAsync(List<PendingWrite> group)
    {
        // A group's first attempt takes shortcuts on a server, each saving round trips: units defer the writes they need
        // no answer for (WriteScope.MayDefer), the units that can go ahead write together in one request (IWriteAheadUnit),
        // and the participants' writes (detection's anomalies and progress) travel with the COMMIT. If one fails, nothing
        // committed, and the group runs again without them:
        // every unit writes under its own savepoint and every write is awaited, so a failure is undone alone (a unit's by
        // its savepoint, a participant's by its own) and the others still commit.
        var shortcuts = true;
        for (var attempt = 0; ; attempt++)
        {
            var outcome = await TryGroupAsync(group, shortcuts).ConfigureAwait(false);
            if (outcome.Failure is null)
            {
                foreach (var (pending, error) in outcome.Ran)
                {
                    if (error is null)
                    {
                        pending.Complete();
                    }
                    else
                    {
                        pending.Fail(error);
                    }
                }

                RecordCommit(outcome.Ran);
                return outcome.Unrun;
            }

            foreach (var (pending, _) in outcome.Ran)
            {
                // Nothing of this attempt was committed (or its outcome is unknown, and then it is failed below).
                pending.Requeue();
            }

            var failure = outcome.Failure;
            var waiting = outcome.Ran.Where(r => r.Pending.IsWaiting).Select(r => r.Pending).ToList();
            if (shortcuts && failure is LibSqlException { FailedBeforeCommit: true } or WriteAheadRefusedException && waiting.Count > 0 && !_abort.IsCancellationRequested)
            {
                _logger.LogInformation("A shortcut of a group of {Units} units failed ({Reason}); nothing committed, writing the group again unit by unit with every write awaited", waiting.Count, (failure as LibSqlException ?? failure.InnerException as LibSqlException)?.Code ?? failure.Message);
                shortcuts = false;
                group = [.. waiting, .. outcome.Unrun];
                continue;
            }

            if (outcome.Retryable && waiting.Count > 0 && !_abort.IsCancellationRequested)
            {
                _metrics.Retried(failure);
                var delay = RetryDelay(attempt);
                _logger.LogInformation("A write group of {Units} units failed before committing ({Code}); writing it again in {Delay} ms", waiting.Count, (failure as LibSqlException)?.Code, (int)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, _abort.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down past the deadline: the units fail below.
                }

                if (!_abort.IsCancellationRequested)
                {
                    group = [.. waiting, .. outcome.Unrun];
                    continue;
                }
            }

            foreach (var (pending, _) in outcome.Ran)
            {
                pending.Fail(failure);
            }

            RecordFailure(failure);
            return outcome.Unrun;
        }
    }

    private async Task<GroupOutcome> TryGroupAsync(List<PendingWrite> group, bool shortcuts)
    {
        var ran = new List<(PendingWrite Pending, Exception? Error)>(group.Count);
        var next = 0;
        var committing = false;
        var started = Stopwatch.GetTimestamp();
        Volatile.Write(ref _groupRunningSince, started);
        var token = _abort.Token;
        var companions = new List<ICompanionWrite>();
        var begun = 0;
        var committed = false;
        try
        {
            if (!_dataSource.OpensWritable())
            {
                // Handles opened before would go on writing through their old descriptors (and SQLite hands those to new
                // handles too): refuse as a restarted process would, so a read-only file stops every write alike.
                throw new LibSqlException("The database file is read-only: the service may not write it.", "SQLITE_READONLY");
            }

            if (_connection is null)
            {
                _connection = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                _connection.DefaultCommandTimeout = Options.StatementTimeout;
            }

            var connection = _connection;
            await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
            var scope = new WriteScope(connection, transaction, _time.GetUtcNow(), mayDefer: shortcuts && !connection.Capabilities.InProcess, _kept);
            if (_participants.Length > 0)
            {
                var units = group.ConvertAll(p => p.Unit);
                for (; begun < _participants.Length; begun++)
                {
                    _participants[begun].Begin(units);
                }
            }

            foreach (var companion in _companions)
            {
                if (companion.TakePending() is { } write)
                {
                    companions.Add(write);
                }
            }

            // Alone in its group a unit's failure fails the transaction anyway: no savepoint round trip.
            var savepoints = group.Count > 1 || companions.Count > 0;
            if (shortcuts && !connection.Capabilities.InProcess && group.Count(p => p.Unit is IWriteAheadUnit { WriteAhead: not null }) > 1)
            {
                // Every unit starts in there (none is left for the next group), so none is "not reached" if it fails.
                next = group.Count;
                await RunWrittenAheadAsync(group, ran, scope, savepoints, token).ConfigureAwait(false);
            }

            while (next < group.Count)
            {
                if (ran.Count > 0 && Stopwatch.GetElapsedTime(started) > Options.MaxGroupDuration)
                {
                    break;
                }

                var pending = group[next++];
                if (!pending.TryStart())
                {
                    continue;
                }

                // Listed before it runs: if its failure is the group's, it fails with the group.
                ran.Add((pending, null));
                ran[^1] = (pending, await RunUnitAsync(pending.RunAsync, scope, transaction, savepoints, token).ConfigureAwait(false));
            }

            if (_participants.Length > 0)
            {
                var written = ran.Where(r => r.Error is null).Select(r => new WrittenUnit(r.Pending.Unit, r.Pending.Result)).ToList();
                using (shortcuts ? transaction.DeferWrites() : null)
                {
                    foreach (var participant in _participants)
                    {
                        await participant.BeforeCommitAsync(scope, written, token).ConfigureAwait(false);
                    }
                }
            }

            foreach (var companion in companions)
            {
                if (await RunUnitAsync(companion.WriteAsync, scope, transaction, savepoints: true, token).ConfigureAwait(false) is { } error)
                {
                    companion.Failed(error);
                }
            }

            committing = true;
            var commit = transaction.CommitAsync(token);
            if (_participants.Length > 0 && !connection.Capabilities.InProcess)
            {
                await TakeArrivalsAsync(commit).ConfigureAwait(false);
            }

            await commit.ConfigureAwait(false);
            committed = true;
            foreach (var companion in companions)
            {
                companion.Committed();
            }

            _metrics.Committed(ran.Count, Stopwatch.GetElapsedTime(started));
            return new GroupOutcome(ran, group.GetRange(next, group.Count - next), null, false);
        }
        catch (Exception e)
        {
            // The transaction is disposed (rolled back) by now; whatever the failure did to the connection, the next
            // group starts on a new one. A refused write-ahead is no failure of the connection: the group reruns on it.
            if (e is not WriteAheadRefusedException)
            {
                await CloseConnectionAsync().ConfigureAwait(false);
            }

            foreach (var companion in companions)
            {
                companion.Failed(e);
            }

            // The failure is the whole group's, also of the units it never reached (it may have failed at BEGIN): they
            // run again with the others, or fail with them; none is left to spin in the queue.
            for (; next < group.Count; next++)
            {
                ran.Add((group[next], null));
            }

            return new GroupOutcome(ran, [], e, IsRetryable(e, committing));
        }
        finally
        {
            EndGroup(begun, committed);
            Volatile.Write(ref _groupRunningSince, 0);
        }
    }

    /// <summary>
    /// Starts every unit of the group, has the units that can go ahead written together (one round trip per kind on a
    /// server), then runs every unit. Units written ahead must all run in this group, so no unit is left for the next one,
    /// and each must succeed: what went ahead lies outside its savepoint, so a failure of one fails the group, which then
    /// runs again without writing ahead. Such units therefore run without a savepoint of their own.
    /// </summary>
    private static async Task RunWrittenAheadAsync(List<PendingWrite> group, List<(PendingWrite Pending, Exception? Error)> ran, WriteScope scope, bool savepoints, CancellationToken token)
    {
        foreach (var pending in group)
        {
            if (pending.TryStart())
            {
                ran.Add((pending, null));
            }
        }

        var ahead = ran.Select(r => r.Pending.Unit).OfType<IWriteAheadUnit>().Where(u => u.WriteAhead is not null).ToList();
        foreach (var kind in ahead.GroupBy(u => u.WriteAhead!))
        {
            await kind.Key.WriteAheadAsync(scope, [.. kind], token).ConfigureAwait(false);
        }

        for (var i = 0; i < ran.Count; i++)
        {
            var pending = ran[i].Pending;
            if (pending.Unit is not IWriteAheadUnit { WriteAhead: not null })
            {
                ran[i] = (pending, await RunUnitAsync(pending.RunAsync, scope, scope.Transaction, savepoints, token).ConfigureAwait(false));
                continue;
            }

            // No savepoint (statements saved on the COMMIT's request): a unit written ahead that fails fails the attempt.
            try
            {
                await pending.RunAsync(scope, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                throw new WriteAheadRefusedException("A unit written ahead failed afterwards; its writes lie outside its savepoint.", e);
            }
        }
    }

    /// <summary>
    /// While <paramref name="commit"/> is on its way, takes the units that arrive for the next group (as the group would
    /// take them, up to its weight) and tells the participants, so that what they do for those units (detection scores
    /// their series) overlaps the COMMIT's round trip instead of following it. Units already queued are taken first, even
    /// when the COMMIT has answered: a fast answer can be read before <c>CommitAsync</c> even returns, and what waits then
    /// would otherwise be told ahead or not by a race.
    /// </summary>
    private async Task TakeArrivalsAsync(Task commit)
    {
        var weight = _carried.Sum(p => p.Weight);
        var waited = false;
        while (weight < Options.MaxGroupWeight)
        {
            var before = _carried.Count;
            weight = TakeQueued(_carried, weight, _queue.Reader);
            if (_carried.Count > before)
            {
                TellUpcoming(_carried.GetRange(before, _carried.Count - before).ConvertAll(p => p.Unit));
            }
            else if (waited)
            {
                // A unit arrived that does not fit the next group's weight: it waits for the group after.
                return;
            }

            if (commit.IsCompleted)
            {
                return;
            }

            var arrival = _waitingForUnits ??= _queue.Reader.WaitToReadAsync().AsTask();
            if (!arrival.IsCompleted && await Task.WhenAny(commit, arrival).ConfigureAwait(false) != arrival)
            {
                return;
            }

            _waitingForUnits = null;
            if (!await arrival.ConfigureAwait(false))
            {
                return;
            }

            waited = true;
        }
    }

    private void TellUpcoming(IReadOnlyList<object> units)
    {
        foreach (var participant in _participants)
        {
            try
            {
                participant.Upcoming(units);
            }
            catch (Exception e)
            {
                // Only a head start: the group commits whatever a participant does with it.
                _logger.LogError(e, "Write group participant {Participant} failed to take the upcoming units", participant.GetType().Name);
            }
        }
    }

    /// <summary>Waits for the queue to hold a unit (false once it is completed and empty), taking over a wait left pending.</summary>
    private Task<bool> WaitForUnitsAsync()
    {
        if (_waitingForUnits is { } pending)
        {
            _waitingForUnits = null;
            return pending;
        }

        return _queue.Reader.WaitToReadAsync().AsTask();
    }

    private async Task CloseConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Closing a connection a failure left broken may fail too: the next group opens a new one either way.
                _logger.LogDebug(e, "Closing the writer's connection failed");
            }
        }
    }

    /// <summary>Tells the participants that began this attempt how it ended (before its callers hear of it).</summary>
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

    /// <summary>
    /// Runs one unit under its savepoint: its own failure rolls back to the savepoint and is returned. A failure that
    /// ended the transaction (the rollback to the savepoint fails too) is the group's, and is thrown.
    /// </summary>
    private static async Task<Exception?> RunUnitAsync(Func<WriteScope, CancellationToken, Task> run, WriteScope scope, LibSqlTransaction transaction, bool savepoints, CancellationToken token)
    {
        if (!savepoints)
        {
            await run(scope, token).ConfigureAwait(false);
            return null;
        }

        await transaction.SaveAsync(Savepoint, token).ConfigureAwait(false);
        Exception? failure = null;
        try
        {
            await run(scope, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
        {
            failure = e;
            try
            {
                await transaction.RollbackAsync(Savepoint, token).ConfigureAwait(false);
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                // The transaction itself is gone: the unit's failure is the group's.
                ExceptionDispatchInfo.Capture(e).Throw();
            }
        }

        await transaction.ReleaseAsync(Savepoint, token).ConfigureAwait(false);
        return failure;
    }

    /// <summary>
    /// Whether the group may run again: nothing of it committed and the cause passes. Never after a COMMIT whose answer was
    /// lost (it may have committed), never while the circuit is open (the server is known down), never for a bug.
    /// </summary>
    private bool IsRetryable(Exception e, bool committing) => e switch
    {
        _ when _abort.IsCancellationRequested => false,
        LibSqlException { Code: LibSqlException.CircuitOpenCode } => false,
        LibSqlException { Kind: LibSqlFailureKind.Busy } => true,
        LibSqlException { Kind: LibSqlFailureKind.Unavailable } unavailable => !committing || unavailable.RequestNotSent,
        _ => false,
    };

    private TimeSpan RetryDelay(int attempt)
    {
        var ceiling = Math.Min(Options.MaxRetryDelay.TotalMilliseconds, Options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    private void RecordCommit(List<(PendingWrite Pending, Exception? Error)> ran)
    {
        var provesStorage = ran.Any(r => r.Pending.ProvesStorage);
        lock (_statusLock)
        {
            _lastCommitAt = _time.GetUtcNow();
            if (_lastFailure?.Kind == LibSqlFailureKind.Storage && !provesStorage)
            {
                // Only a write that needed space (not a probe rolled back to its savepoint) shows the disk has room again.
                return;
            }

            _lastFailure = null;
            _lastFailureAt = null;
            _consecutiveFailures = 0;
        }
    }

    private void RecordFailure(Exception failure)
    {
        var database = failure as LibSqlException;
        _metrics.Failed(database);
        _logger.Log(
            database is null || database.Kind == LibSqlFailureKind.Statement ? LogLevel.Error : LogLevel.Warning,
            failure,
            "A write group failed ({Kind}, {Code}); its callers get the failure",
            database?.Kind.ToString() ?? failure.GetType().Name,
            database?.Code);
        if (database is null || database.Kind == LibSqlFailureKind.Statement)
        {
            return;
        }

        lock (_statusLock)
        {
            _lastFailure = database;
            _lastFailureAt = _time.GetUtcNow();
            _consecutiveFailures++;
        }
    }

    private void FailQueued(Exception error)
    {
        while (_queue.Reader.TryRead(out var pending))
        {
            pending.Fail(error);
        }
    }

    private sealed record GroupOutcome(List<(PendingWrite Pending, Exception? Error)> Ran, List<PendingWrite> Unrun, Exception? Failure, bool Retryable);

    /// <summary>A unit waiting for the writer, and the task its caller awaits.</summary>
    private abstract class PendingWrite(int weight)
    {
        private const int Waiting = 0;
        private const int Running = 1;
        private const int Done = 2;

        private int _state;

        public int Weight { get; } = Math.Max(1, weight);

        /// <summary>The unit as its caller gave it (for the group's participants).</summary>
        public abstract object Unit { get; }

        /// <summary>The unit's result once it has run.</summary>
        public abstract object? Result { get; }

        /// <summary>Whether committing this unit shows the disk has room (a real write, not a probe rolled back to its savepoint).</summary>
        public abstract bool ProvesStorage { get; }

        /// <summary>Queued, and its caller still waits for it.</summary>
        public bool IsWaiting => Volatile.Read(ref _state) == Waiting;

        /// <summary>The writer takes the unit to run it; false when its caller gave up meanwhile (then it is skipped).</summary>
        public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Waiting) == Waiting;

        /// <summary>Its attempt committed nothing: back to waiting, so a deadline passing now says nothing was written.</summary>
        public void Requeue() => Interlocked.CompareExchange(ref _state, Waiting, Running);

        public abstract Task RunAsync(WriteScope scope, CancellationToken cancellationToken);

        /// <summary>After COMMIT: hands the caller its result.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception error);

        /// <summary>Marks the unit done; returns what it was (waiting, running, or already done).</summary>
        protected int Finish() => Interlocked.Exchange(ref _state, Done);
    }

    private sealed class PendingWrite<TResult> : PendingWrite
    {
        private readonly IWriteUnit<TResult> _unit;
        private readonly TimeSpan _timeout;
        private readonly CancellationToken _callerToken;
        private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _deadline;
        private readonly CancellationTokenRegistration _registration;
        private Action? _dequeued;
        private TResult? _result;

        /// <summary>Starts the caller's deadline at once; <paramref name="dequeued"/> runs once, when the caller has its answer.</summary>
        public PendingWrite(IWriteUnit<TResult> unit, TimeSpan timeout, CancellationToken callerToken, Action dequeued)
            : base(unit.Weight)
        {
            _unit = unit;
            _timeout = timeout;
            _callerToken = callerToken;
            _dequeued = dequeued;
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
            _deadline.CancelAfter(timeout);
            _registration = _deadline.Token.UnsafeRegister(static state => ((PendingWrite<TResult>)state!).GiveUp(), this);
        }

        public Task<TResult> Task => _completion.Task;

        public override bool ProvesStorage => _unit is not IWriteProbe { ProvesStorage: false };

        public override object Unit => _unit;

        public override object? Result => _result;

        public override async Task RunAsync(WriteScope scope, CancellationToken cancellationToken) =>
            _result = await _unit.WriteAsync(scope, cancellationToken).ConfigureAwait(false);

        public override void Complete()
        {
            if (Finish() != 2)
            {
                _completion.TrySetResult(_result!);
                Release();
            }
        }

        public override void Fail(Exception error)
        {
            if (Finish() != 2)
            {
                _completion.TrySetException(error);
                Release();
            }
        }

        /// <summary>The caller's deadline passed or it cancelled: answer it now; a unit not started yet is skipped by the writer.</summary>
        private void GiveUp()
        {
            var was = Finish();
            if (was == 2)
            {
                return;
            }

            if (_callerToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(_callerToken);
            }
            else
            {
                _completion.TrySetException(new WriteTimeoutException(_timeout, nothingWritten: was == 0));
            }

            Release();
        }

        /// <summary>Once, by whoever answered the caller: the queue count and the deadline's timer.</summary>
        private void Release()
        {
            if (Interlocked.Exchange(ref _dequeued, null) is { } dequeued)
            {
                dequeued();
                _registration.Dispose();
                _deadline.Dispose();
            }
        }
    }
}
