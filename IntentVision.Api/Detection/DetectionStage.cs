using System.Collections.Concurrent;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Series;
using IntentVision.Api.Events;
using IntentVision.Data.Anomalies;
using IntentVision.Data.Metrics;
using IntentVision.Data.Writing;
using IntentVision.LibSql;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Detection;

/// <summary>
/// Anomaly detection on the ingest write path, a participant of every group of the <see cref="DatabaseWriter"/>: it picks
/// the group's units that store points (<see cref="IIngestBatchUnit"/>: bare ingest calls and API requests); every series' <see cref="SeriesAnomalyMonitor"/> scores the new points the
/// units stored (O(new points)), and the anomalies and the series' detection state are written in the same transaction
/// before it commits. So when <c>POST /api/metrics</c> returns, its anomalies are readable, and a rolled-back transaction
/// leaves neither points nor anomalies nor state. After the commit, each series with stored anomalies is announced on
/// the event stream (<see cref="AnomalyDetectedEvent"/>).
/// </summary>
/// <remarks>
/// <para>Cost: the writer is the ingest bottleneck, so scoring keeps off its path where it can. Series whose monitor is
/// in memory start scoring on another core (a thread-pool item) as soon as the writer has the group (<see cref="Begin"/>), while the units store
/// the points; only series loaded from the database are scored after the store, in parallel across series.</para>
/// <para>State lives in memory (an LRU of <see cref="DetectionOptions.MaxSeriesInMemory"/> monitors) and in
/// <c>detector_state</c>: the last scored timestamp moves with every transaction, a full snapshot is written every
/// <see cref="DetectionOptions.SnapshotEvery"/> scored points, on eviction and at shutdown. A series not in memory is
/// restored from its snapshot, then the stored points after the snapshot up to the last scored timestamp are replayed
/// silently (nothing is stored twice, nothing re-warms). A series never scored but with stored history replays its latest
/// <see cref="DetectionOptions.WarmStartPoints"/> points first. If detection fails, its writes are undone (a savepoint), the points still commit, and the series'
/// memory is dropped so it is rebuilt from what was committed; so is the memory of every series whose points were
/// scored but not stored (a unit rolled back to its savepoint, a transaction rolled back).</para>
/// </remarks>
public sealed class DetectionStage(
    IOptions<DetectionOptions> options,
    DetectionMetrics metrics,
    EventBroadcaster events,
    ILogger<DetectionStage> logger) : IWriteGroupParticipant
{
    /// <summary>Monitors score this many points or more in parallel across series; below it one thread is quicker.</summary>
    private const int ParallelFrom = 2_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SeriesMonitors _monitors = new(options.Value.MaxSeriesInMemory);
    private readonly ConcurrentDictionary<long, byte> _feedbackChanged = new();
    private readonly List<(MonitoredSeries Series, long Points)> _snapshotsInFlight = [];

    /// <summary>The group's series that were scored in <see cref="Begin"/>, by key, until <see cref="BeforeCommitAsync"/> takes them.</summary>
    private readonly Dictionary<SeriesKey, Scoring> _early = [];
    private EarlyWork? _earlyScoring;

    /// <summary>Every series the group's ingest units carry, by key: what <see cref="Upcoming"/> must not score ahead.</summary>
    private readonly HashSet<SeriesKey> _groupSeries = [];

    /// <summary>
    /// Series of the writer's next group scored while this group's COMMIT was on its way (<see cref="Upcoming"/>), by key,
    /// until the next <see cref="Begin"/> adopts them (its units carry exactly these batches) or forgets them. Their
    /// monitors have seen points not stored yet, so nothing snapshots them meanwhile.
    /// </summary>
    private readonly Dictionary<SeriesKey, Scoring> _ready = [];
    private readonly List<EarlyWork> _readyScoring = [];

    /// <summary>Series scored or loaded in this group: dropped from memory if the group rolls back.</summary>
    private readonly List<long> _written = [];

    /// <summary>What this group stored, announced once it has committed.</summary>
    private readonly List<(string OrganizationId, AnomalyDetectedEvent Event)> _announcements = [];
    private bool _holding;

    public static MonitorSettings Settings => MonitorSettings.Default;

    public bool Enabled => options.Value.Enabled;

    /// <summary>An analyst's verdict on one of the series' anomalies changed: its next batch reloads the verdicts.</summary>
    public void FeedbackChanged(long seriesId) => _feedbackChanged[seriesId] = 0;

    public void Begin(IReadOnlyList<object> units)
    {
        if (!Enabled || !units.Any(u => u is IIngestBatchUnit))
        {
            if (_ready.Count > 0)
            {
                // Scored ahead for units this group does not carry: their monitors saw points that are not stored.
                _gate.Wait();
                ForgetReady();
                _gate.Release();
            }

            return;
        }

        // Held until the group's transaction ends, so a shutdown flush never snapshots points that may yet roll back.
        _gate.Wait();
        _holding = true;
        _snapshotsInFlight.Clear();
        _announcements.Clear();
        _early.Clear();
        _groupSeries.Clear();
        var adopting = new Dictionary<SeriesKey, List<SeriesPoints>>();
        var fresh = new List<Scoring>();
        foreach (var batch in units.OfType<IIngestBatchUnit>().SelectMany(u => u.Batch.Series))
        {
            _groupSeries.Add(batch.Key);
            if (_ready.ContainsKey(batch.Key))
            {
                if (!adopting.TryGetValue(batch.Key, out var batches))
                {
                    adopting[batch.Key] = batches = [];
                }

                batches.Add(batch);
            }
            else if (_early.TryGetValue(batch.Key, out var scoring))
            {
                scoring.Points.Add(batch);
            }
            else if (_monitors.Find(batch.Key) is { } series && !_feedbackChanged.ContainsKey(series.SeriesId))
            {
                _early[batch.Key] = scoring = new Scoring(series, [batch]);
                fresh.Add(scoring);
            }
        }

        foreach (var (key, batches) in adopting)
        {
            // Scored while the last group's COMMIT was on its way: if this group carries exactly those batches (and no
            // verdict changed since), the outcome stands as if scored now.
            var ready = _ready[key];
            if (ready.Points.SequenceEqual(batches, ReferenceEqualityComparer.Instance) && !_feedbackChanged.ContainsKey(ready.Series.SeriesId))
            {
                _early[key] = ready;
                _ready.Remove(key);
            }
        }

        // The rest was scored for batches this group does not carry as they were: rebuilt from what is stored.
        ForgetReady();
        if (fresh.Count > 0)
        {
            _earlyScoring = new EarlyWork([.. fresh]);
        }
    }

    /// <summary>
    /// While this group's COMMIT is on its way (a server's round trip), scores the series of the writer's next group (the
    /// units that arrived meanwhile) that this group does not touch and whose monitor is in memory: their outcome depends
    /// on nothing this group writes, so the next group finds them scored (<see cref="Begin"/>) instead of waiting for it
    /// before its COMMIT.
    /// </summary>
    /// <remarks>
    /// A series already being scored ahead (an earlier call) takes no more batches: the next group then carries more of it
    /// than was scored, and <see cref="Begin"/> forgets it rather than adopt it.
    /// </remarks>
    public void Upcoming(IReadOnlyList<object> units)
    {
        if (!_holding)
        {
            return;
        }

        var items = new List<Scoring>();
        foreach (var batch in units.OfType<IIngestBatchUnit>().SelectMany(u => u.Batch.Series))
        {
            if (_ready.TryGetValue(batch.Key, out var scoring))
            {
                if (items.Contains(scoring))
                {
                    scoring.Points.Add(batch);
                }
            }
            else if (!_groupSeries.Contains(batch.Key) && _monitors.Find(batch.Key) is { } series && !_feedbackChanged.ContainsKey(series.SeriesId))
            {
                _ready[batch.Key] = scoring = new Scoring(series, [batch]);
                items.Add(scoring);
            }
        }

        if (items.Count > 0)
        {
            _readyScoring.Add(new EarlyWork([.. items]));
        }
    }

    public async Task BeforeCommitAsync(WriteScope scope, IReadOnlyList<WrittenUnit> written, CancellationToken cancellationToken)
    {
        if (!_holding)
        {
            return;
        }

        // The points each stored ingest unit carried, with their series ids (a unit's ids line up with its series).
        var writes = new List<StoredSeries>();
        foreach (var unit in written)
        {
            if (unit.Unit is IIngestBatchUnit ingest && ingest.Stored(unit.Result) is { } result)
            {
                for (var i = 0; i < ingest.Batch.Series.Count; i++)
                {
                    writes.Add(new StoredSeries(result.SeriesIds[i], ingest.Batch.Series[i]));
                }
            }
        }

        if (_earlyScoring is { } early)
        {
            try
            {
                // Whatever the background thread has not started yet, the writer scores itself rather than wait for a thread.
                early.RunAvailable();
                await early.Background.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Those series are scored again below, from their stored state.
                logger.LogError(e, "Early anomaly scoring failed");
                ForgetEarly();
            }

            _earlyScoring = null;
        }

        var transaction = scope.Transaction;
        await transaction.SaveAsync("detection", cancellationToken).ConfigureAwait(false);
        try
        {
            await ScoreInTransactionAsync(scope, writes, cancellationToken).ConfigureAwait(false);
        }

        // A write a unit deferred (WriteScope.MayDefer) that failed in front of one of detection's reads is not detection's
        // failure: the attempt is over, nothing of it commits, and the writer runs the group again.
        catch (Exception e) when (e is not LibSqlException { FailedBeforeCommit: true })
        {
            logger.LogError(e, "Anomaly detection failed for {Series} series; their points are stored unscored", writes.Select(w => w.SeriesId).Distinct().Count());
            metrics.Failures.Add(1);
            await transaction.RollbackAsync("detection", cancellationToken).ConfigureAwait(false);
            foreach (var write in writes)
            {
                _monitors.Remove(write.SeriesId);
            }

            _snapshotsInFlight.Clear();
            _announcements.Clear();
        }

        await transaction.ReleaseAsync("detection", cancellationToken).ConfigureAwait(false);
    }

    public void Committed()
    {
        if (!_holding)
        {
            return;
        }

        foreach (var (series, points) in _snapshotsInFlight)
        {
            series.PointsAtSnapshot = points;
        }

        foreach (var (organizationId, stored) in _announcements)
        {
            events.Publish(organizationId, stored);
        }

        EndGroup();
    }

    public void RolledBack()
    {
        if (!_holding)
        {
            return;
        }

        foreach (var write in _written)
        {
            _monitors.Remove(write);
        }

        EndGroup();
    }

    /// <summary>Writes a snapshot of every monitor with unsaved points (at shutdown), as a unit of the writer.</summary>
    public async Task PersistAllAsync(DetectorStateRepository repository, CancellationToken cancellationToken)
    {
        List<DetectorSnapshot> snapshots = [];
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Not the series scored ahead for the writer's next group: they have seen points not stored yet.
            var ahead = _ready.Values.Select(r => r.Series.SeriesId).ToHashSet();
            foreach (var series in _monitors.All.Where(s => s.Unsaved > 0 && s.Monitor.LastScored is not null && !ahead.Contains(s.SeriesId)))
            {
                snapshots.Add(new DetectorSnapshot(series.SeriesId, series.Monitor.LastScored!.Value.ToUnixTimeMilliseconds(), series.Monitor.Snapshot()));
                series.PointsAtSnapshot = series.Monitor.ScoredPoints;
            }
        }
        finally
        {
            _gate.Release();
        }

        // Written outside the gate (the writer calls this stage for every group): a stored snapshot never moves backwards.
        await repository.SaveSnapshotsAsync(snapshots, SeriesAnomalyMonitor.SnapshotFormat, cancellationToken).ConfigureAwait(false);
        metrics.Snapshots.Add(snapshots.Sum(s => (long)s.Snapshot.Length));
    }

    private async Task ScoreInTransactionAsync(WriteScope scope, List<StoredSeries> writes, CancellationToken cancellationToken)
    {
        var bySeries = new Dictionary<long, List<SeriesPoints>>();
        foreach (var write in writes)
        {
            if (!bySeries.TryGetValue(write.SeriesId, out var list))
            {
                bySeries[write.SeriesId] = list = [];
            }

            list.Add(write.Points);
        }

        _written.AddRange(bySeries.Keys);

        // 1. Series scored early keep their outcome when every call that carried their points was stored; otherwise (a
        //    call failed and rolled back to its savepoint) their monitor saw points that are not stored and is rebuilt.
        var done = new List<Scoring>(bySeries.Count);
        var late = new List<Scoring>();
        var inGroup = bySeries.Keys.ToHashSet();
        foreach (var (seriesId, list) in bySeries)
        {
            var key = list[0].Key;
            if (_early.Remove(key, out var early) && early.Points.Count == list.Count && early.Series.SeriesId == seriesId)
            {
                _monitors.Touch(seriesId);
                done.Add(early);
                continue;
            }

            if (early is not null)
            {
                _monitors.Remove(early.Series.SeriesId);
            }

            // 2. Every other series' monitor in memory (I/O, in order); evicted ones are saved in this transaction.
            var series = _monitors.Touch(seriesId);
            if (series is null)
            {
                series = await LoadAsync(scope, seriesId, key, list.Min(p => p.Points.Count > 0 ? p.Points.Keys[0] : long.MaxValue), cancellationToken).ConfigureAwait(false);
                foreach (var evicted in _monitors.Add(series, inGroup))
                {
                    await SaveSnapshotAsync(scope, evicted, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (_feedbackChanged.TryRemove(seriesId, out _))
            {
                series.Monitor.Feedback = await LoadFeedbackAsync(scope, seriesId, cancellationToken).ConfigureAwait(false);
            }

            late.Add(new Scoring(series, list));
        }

        // Early-scored series of calls that all failed: their points are not stored.
        ForgetEarly();
        ScoreAll([.. late]);
        done.AddRange(late);

        // 3. Anomalies, progress and due snapshots, in this transaction.
        var progress = new List<DetectorProgress>(done.Count);
        foreach (var scoring in done)
        {
            var (series, outcome) = (scoring.Series, scoring.Outcome);
            metrics.Scored.Add(outcome.Scored);
            metrics.Late.Add(outcome.Late);
            metrics.Suppressed.Add(outcome.Suppressed);
            if (outcome.Anomalies.Count > 0)
            {
                var organizationId = scoring.Points[0].Key.OrganizationId;
                await AnomalyRepository.UpsertAsync(scope, organizationId, outcome.Anomalies.Select(a => AnomalyRecords.ToNew(series.SeriesId, a)).ToList(), cancellationToken).ConfigureAwait(false);
                metrics.Stored.Add(outcome.Anomalies.Count(a => !a.IsRevision));
                _announcements.Add((organizationId, new AnomalyDetectedEvent(series.SeriesId, outcome.Anomalies.Count, outcome.Anomalies.Max(a => a.Timestamp))));
            }

            if (outcome.Scored > 0 && series.Monitor.LastScored is { } last)
            {
                progress.Add(new DetectorProgress(series.SeriesId, last.ToUnixTimeMilliseconds(), series.Monitor.ScoredPoints));
            }
        }

        await DetectorStateRepository.SaveProgressAsync(scope, progress, cancellationToken).ConfigureAwait(false);
        foreach (var scoring in done)
        {
            if (scoring.Series.Unsaved >= options.Value.SnapshotEvery)
            {
                await SaveSnapshotAsync(scope, scoring.Series, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Scores each series' points in call order (series in parallel when there is enough work).</summary>
    private static void ScoreAll(Scoring[] work)
    {
        if (work.Length > 1 && work.Sum(w => w.Points.Sum(p => p.Points.Count)) >= ParallelFrom)
        {
            Parallel.ForEach(work, w => w.Run());
            return;
        }

        foreach (var w in work)
        {
            w.Run();
        }
    }

    /// <summary>
    /// A series' monitor from its stored state: the snapshot if it is usable, then the stored points after it up to the
    /// last scored timestamp, replayed without storing anything. Without any state: the series' latest stored points
    /// before this write, so a series with history does not start cold.
    /// </summary>
    private async Task<MonitoredSeries> LoadAsync(WriteScope scope, long seriesId, SeriesKey key, long firstNewTimestamp, CancellationToken cancellationToken)
    {
        metrics.Loaded.Add(1);

        // Cleared before the verdicts are read: one given after this is read again at the series' next batch.
        _feedbackChanged.TryRemove(seriesId, out _);
        var warmStartUpTo = firstNewTimestamp == long.MaxValue ? long.MinValue : firstNewTimestamp - 1;
        var (state, marked, warmStart) = await DetectorStateRepository.LoadAsync(scope, seriesId, warmStartUpTo, options.Value.WarmStartPoints, cancellationToken).ConfigureAwait(false);
        SeriesAnomalyMonitor? monitor = null;
        var after = long.MinValue;
        if (state is { Snapshot: { } blob, SnapshotTs: { } snapshotTs } && state.Version == SeriesAnomalyMonitor.SnapshotFormat)
        {
            monitor = SeriesAnomalyMonitor.TryRestore(blob, Settings);
            after = monitor is null ? long.MinValue : snapshotTs;
            if (monitor is null)
            {
                logger.LogWarning("The detector snapshot of series {SeriesId} could not be restored; rebuilding it from stored points", seriesId);
            }
        }

        monitor ??= new SeriesAnomalyMonitor(Settings);
        var pointsAtSnapshot = monitor.ScoredPoints;
        // Scored before: the points it scored since its snapshot (at most about SnapshotEvery), so it continues exactly.
        // Never scored: its latest history before this write, as a warm start (read with the state).
        var history = warmStart;
        if (state?.LastScoredTs is { } lastScored)
        {
            history = lastScored > after && options.Value.SnapshotEvery > 0
                ? await DetectorStateRepository.ReadPointsAsync(scope, seriesId, after, lastScored, options.Value.SnapshotEvery, cancellationToken).ConfigureAwait(false)
                : [];
        }

        monitor.Replay(history.Select(p => new TimedValue(DateTimeOffset.FromUnixTimeMilliseconds(p.Ts), p.Value)));

        monitor.Feedback = Rules(marked);
        return new MonitoredSeries(seriesId, key, monitor, pointsAtSnapshot);
    }

    private static async Task<IReadOnlyList<AnomalyPattern>> LoadFeedbackAsync(WriteScope scope, long seriesId, CancellationToken cancellationToken) =>
        Rules(await AnomalyRepository.ListMarkedNormalAsync(scope, seriesId, cancellationToken).ConfigureAwait(false));

    private static List<AnomalyPattern> Rules(IReadOnlyList<(double Value, string Context)> marked) =>
        marked.Select(m => AnomalyRecords.RuleFor(m.Value, m.Context)).OfType<AnomalyPattern>().ToList();

    private async Task SaveSnapshotAsync(WriteScope scope, MonitoredSeries series, CancellationToken cancellationToken)
    {
        if (series.Unsaved <= 0 || series.Monitor.LastScored is not { } last)
        {
            return;
        }

        var snapshot = series.Monitor.Snapshot();
        await DetectorStateRepository.SaveSnapshotAsync(scope, new DetectorSnapshot(series.SeriesId, last.ToUnixTimeMilliseconds(), snapshot), SeriesAnomalyMonitor.SnapshotFormat, cancellationToken).ConfigureAwait(false);
        metrics.Snapshots.Add(snapshot.Length);
        _snapshotsInFlight.Add((series, series.Monitor.ScoredPoints));
    }

    /// <summary>Ends the group: whatever was scored early but never reached <see cref="BeforeCommitAsync"/> is dropped from memory.</summary>
    private void EndGroup()
    {
        try
        {
            // A group that failed before scoring may still have early scoring running: let it finish before forgetting it.
            _earlyScoring?.Background.Wait();
        }
        catch (AggregateException e)
        {
            logger.LogError(e, "Early anomaly scoring failed");
        }

        try
        {
            // Scoring for the next group touches monitors too: it ends before the gate opens.
            Task.WaitAll(_readyScoring.Select(r => r.Background));
        }
        catch (AggregateException e)
        {
            logger.LogError(e, "Anomaly scoring ahead of a group failed");
            ForgetReady();
        }

        ForgetEarly();
        _earlyScoring = null;
        _readyScoring.Clear();
        _written.Clear();
        _announcements.Clear();
        _holding = false;
        _gate.Release();
    }

    /// <summary>Drops the monitors scored ahead for batches no group took as they were: they saw points that are not stored.</summary>
    private void ForgetReady()
    {
        foreach (var scoring in _ready.Values)
        {
            _monitors.Remove(scoring.Series.SeriesId);
        }

        _ready.Clear();
    }

    /// <summary>Drops the monitors scored early that no stored write claimed: they saw points that are not stored.</summary>
    private void ForgetEarly()
    {
        foreach (var scoring in _early.Values)
        {
            _monitors.Remove(scoring.Series.SeriesId);
        }

        _early.Clear();
    }

    /// <summary>
    /// The series scored while the writer stores the group: a thread-pool item takes them one by one, and so does the
    /// writer once it has stored the points, so no series waits for a thread to become free.
    /// </summary>
    /// <remarks>
    /// A pool item, not a thread of detection's own: waking a thread of its own needed a pool item anyway (woken from
    /// the writer, the thread took the writer's core), and the item that woke it can as well score. With the extra wake
    /// gone, the writer waited 0.01-0.02 ms a group for early scoring instead of 0.04, and detection on / off measured
    /// 91-94 % against 88-90 % (bench/IntentVision.Api.Benchmarks/README.md).
    /// </remarks>
    private sealed class EarlyWork
    {
        private readonly Scoring[] _items;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _next;

        public EarlyWork(Scoring[] items)
        {
            _items = items;
            ThreadPool.UnsafeQueueUserWorkItem(static work => work.RunInBackground(), this, preferLocal: false);
        }

        /// <summary>Completes once the pool item has run out of series (or failed); the writer awaits it before COMMIT.</summary>
        public Task Background => _done.Task;

        public void RunAvailable()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next) - 1) < _items.Length)
            {
                _items[i].Run();
            }
        }

        private void RunInBackground()
        {
            try
            {
                RunAvailable();
                _done.SetResult();
            }
            catch (Exception e)
            {
                _done.SetException(e);
            }
        }
    }

    /// <summary>One series' points of the group, its monitor, and what scoring them did.</summary>
    private sealed class Scoring(MonitoredSeries series, List<SeriesPoints> points)
    {
        public MonitoredSeries Series { get; } = series;

        public List<SeriesPoints> Points { get; } = points;

        public SeriesOutcome Outcome { get; } = new();

        public void Run()
        {
            foreach (var batch in Points)
            {
                var (timestamps, values) = (batch.Points.Keys, batch.Points.Values);
                var timed = new TimedValue[timestamps.Count];
                for (var i = 0; i < timed.Length; i++)
                {
                    timed[i] = new TimedValue(DateTimeOffset.FromUnixTimeMilliseconds(timestamps[i]), values[i]);
                }

                var result = Series.Monitor.Observe(timed);
                Outcome.Anomalies.AddRange(result.Anomalies);
                Outcome.Scored += result.Scored;
                Outcome.Late += result.Late;
                Outcome.Suppressed += result.Suppressed;
            }
        }
    }

    /// <summary>The points one stored ingest unit carried for one series, and the series' id.</summary>
    private sealed record StoredSeries(long SeriesId, SeriesPoints Points);

    private sealed class SeriesOutcome
    {
        public List<DetectedAnomaly> Anomalies { get; } = [];

        public int Scored { get; set; }

        public int Late { get; set; }

        public int Suppressed { get; set; }
    }
}
