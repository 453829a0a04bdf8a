using System.Collections.Concurrent;
using System.Data.Common;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Series;
using IntentVision.Data.Anomalies;
using IntentVision.Data.Metrics;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Detection;

/// <summary>
/// Anomaly detection on the ingest write path: the writer hands each transaction's new points over before it commits;
/// every series' <see cref="SeriesAnomalyMonitor"/> scores its new points (O(new points), series in parallel), and the
/// anomalies and the series' detection state are written in the same transaction. So when <c>POST /api/metrics</c>
/// returns, its anomalies are readable, and a rolled-back transaction leaves neither points nor anomalies nor state.
/// </summary>
/// <remarks>
/// State lives in memory (an LRU of <see cref="DetectionOptions.MaxSeriesInMemory"/> monitors) and in
/// <c>detector_state</c>: the last scored timestamp moves with every transaction, a full snapshot is written every
/// <see cref="DetectionOptions.SnapshotEvery"/> scored points, on eviction and at shutdown. A series not in memory is
/// restored from its snapshot, then the stored points after the snapshot up to the last scored timestamp are replayed
/// silently (nothing is stored twice, nothing re-warms). A series never scored but with stored history replays its latest
/// points first. If detection fails, its writes are undone (a savepoint), the points still commit, and the series'
/// memory is dropped so it is rebuilt from what was committed.
/// </remarks>
public sealed class DetectionStage(
    IOptions<DetectionOptions> options,
    DetectionMetrics metrics,
    TimeProvider time,
    ILogger<DetectionStage> logger) : IDetectionStage
{
    /// <summary>Monitors score this many points or more in parallel across series; below it one thread is quicker.</summary>
    private const int ParallelFrom = 2_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SeriesMonitors _monitors = new(options.Value.MaxSeriesInMemory);
    private readonly ConcurrentDictionary<long, byte> _feedbackChanged = new();
    private readonly List<(MonitoredSeries Series, long Points)> _snapshotsInFlight = [];
    private bool _holding;

    public static MonitorSettings Settings => MonitorSettings.Default;

    public bool Enabled => options.Value.Enabled;

    /// <summary>An analyst's verdict on one of the series' anomalies changed: its next batch reloads the verdicts.</summary>
    public void FeedbackChanged(long seriesId) => _feedbackChanged[seriesId] = 0;

    public async Task ScoreAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SeriesWrite> writes, CancellationToken cancellationToken)
    {
        if (!Enabled || writes.Count == 0)
        {
            return;
        }

        // Held until the transaction ends, so a shutdown flush never snapshots points that may yet roll back.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        _holding = true;
        _snapshotsInFlight.Clear();
        await transaction.SaveAsync("detection", cancellationToken).ConfigureAwait(false);
        try
        {
            await ScoreInTransactionAsync(connection, transaction, writes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Anomaly detection failed for {Series} series; their points are stored unscored", writes.Select(w => w.SeriesId).Distinct().Count());
            metrics.Failures.Add(1);
            await transaction.RollbackAsync("detection", cancellationToken).ConfigureAwait(false);
            Forget(writes);
        }

        await transaction.ReleaseAsync("detection", cancellationToken).ConfigureAwait(false);
    }

    public void Committed(IReadOnlyList<SeriesWrite> writes)
    {
        foreach (var (series, points) in _snapshotsInFlight)
        {
            series.PointsAtSnapshot = points;
        }

        Release();
    }

    public void RolledBack(IReadOnlyList<SeriesWrite> writes)
    {
        Forget(writes);
        Release();
    }

    /// <summary>Writes a snapshot of every monitor with unsaved points (at shutdown), in a transaction of its own.</summary>
    public async Task PersistAllAsync(DetectorStateRepository repository, CancellationToken cancellationToken)
    {
        List<DetectorSnapshot> snapshots = [];
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var series in _monitors.All.Where(s => s.Unsaved > 0 && s.Monitor.LastScored is not null))
            {
                snapshots.Add(new DetectorSnapshot(series.SeriesId, series.Monitor.LastScored!.Value.ToUnixTimeMilliseconds(), series.Monitor.Snapshot()));
                series.PointsAtSnapshot = series.Monitor.ScoredPoints;
            }
        }
        finally
        {
            _gate.Release();
        }

        // Written outside the gate: the repository never moves a snapshot backwards, and the writer may carry on meanwhile.
        await repository.SaveSnapshotsAsync(snapshots, SeriesAnomalyMonitor.SnapshotFormat, cancellationToken).ConfigureAwait(false);
        metrics.Snapshots.Add(snapshots.Sum(s => (long)s.Snapshot.Length));
    }

    private async Task ScoreInTransactionAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SeriesWrite> writes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var bySeries = new Dictionary<long, List<SeriesWrite>>();
        foreach (var write in writes)
        {
            if (!bySeries.TryGetValue(write.SeriesId, out var list))
            {
                bySeries[write.SeriesId] = list = [];
            }

            list.Add(write);
        }

        // 1. Every series' monitor in memory (I/O, in order); evicted ones are saved in this transaction.
        var inGroup = bySeries.Keys.ToHashSet();
        var work = new List<(MonitoredSeries Series, List<SeriesWrite> Writes)>(bySeries.Count);
        foreach (var (seriesId, list) in bySeries)
        {
            var series = _monitors.Touch(seriesId);
            if (series is null)
            {
                series = await LoadAsync(connection, transaction, seriesId, list.Min(w => w.Timestamps.Count > 0 ? w.Timestamps[0] : long.MaxValue), cancellationToken).ConfigureAwait(false);
                foreach (var evicted in _monitors.Add(series, inGroup))
                {
                    await SaveSnapshotAsync(connection, transaction, evicted, now, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (_feedbackChanged.TryRemove(seriesId, out _))
            {
                series.Monitor.Feedback = await LoadFeedbackAsync(connection, transaction, seriesId, cancellationToken).ConfigureAwait(false);
            }

            work.Add((series, list));
        }

        // 2. Scoring: pure CPU, each series on its own.
        var outcomes = new SeriesOutcome[work.Count];
        var points = writes.Sum(w => w.Timestamps.Count);
        if (work.Count > 1 && points >= ParallelFrom)
        {
            Parallel.For(0, work.Count, i => outcomes[i] = Score(work[i].Series.Monitor, work[i].Writes));
        }
        else
        {
            for (var i = 0; i < work.Count; i++)
            {
                outcomes[i] = Score(work[i].Series.Monitor, work[i].Writes);
            }
        }

        // 3. Anomalies, progress and due snapshots, in this transaction.
        var progress = new List<DetectorProgress>(work.Count);
        for (var i = 0; i < work.Count; i++)
        {
            var (series, list) = work[i];
            var outcome = outcomes[i];
            metrics.Scored.Add(outcome.Scored);
            metrics.Late.Add(outcome.Late);
            metrics.Suppressed.Add(outcome.Suppressed);
            if (outcome.Anomalies.Count > 0)
            {
                await AnomalyRepository.UpsertAsync(connection, transaction, list[0].OrganizationId, outcome.Anomalies.Select(a => AnomalyRecords.ToNew(series.SeriesId, a)).ToList(), now, cancellationToken).ConfigureAwait(false);
                metrics.Stored.Add(outcome.Anomalies.Count(a => !a.IsRevision));
            }

            if (outcome.Scored > 0 && series.Monitor.LastScored is { } last)
            {
                progress.Add(new DetectorProgress(series.SeriesId, last.ToUnixTimeMilliseconds(), series.Monitor.ScoredPoints));
            }
        }

        await DetectorStateRepository.SaveProgressAsync(connection, transaction, progress, SeriesAnomalyMonitor.SnapshotFormat, now, cancellationToken).ConfigureAwait(false);
        foreach (var (series, _) in work)
        {
            if (series.Unsaved >= options.Value.SnapshotEvery)
            {
                await SaveSnapshotAsync(connection, transaction, series, now, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static SeriesOutcome Score(SeriesAnomalyMonitor monitor, List<SeriesWrite> writes)
    {
        var outcome = new SeriesOutcome();
        foreach (var write in writes)
        {
            var points = new TimedValue[write.Timestamps.Count];
            for (var i = 0; i < points.Length; i++)
            {
                points[i] = new TimedValue(DateTimeOffset.FromUnixTimeMilliseconds(write.Timestamps[i]), write.Values[i]);
            }

            var result = monitor.Observe(points);
            outcome.Anomalies.AddRange(result.Anomalies);
            outcome.Scored += result.Scored;
            outcome.Late += result.Late;
            outcome.Suppressed += result.Suppressed;
        }

        return outcome;
    }

    /// <summary>
    /// A series' monitor from its stored state: the snapshot if it is usable, then the stored points after it up to the
    /// last scored timestamp, replayed without storing anything. Without any state: the series' latest stored points
    /// before this write, so a series with history does not start cold.
    /// </summary>
    private async Task<MonitoredSeries> LoadAsync(DbConnection connection, DbTransaction transaction, long seriesId, long firstNewTimestamp, CancellationToken cancellationToken)
    {
        metrics.Loaded.Add(1);
        var state = await DetectorStateRepository.FindAsync(connection, transaction, seriesId, cancellationToken).ConfigureAwait(false);
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
        var upTo = state?.LastScoredTs ?? (firstNewTimestamp == long.MaxValue ? long.MinValue : firstNewTimestamp - 1);
        if (upTo > after)
        {
            var history = await DetectorStateRepository.ReadPointsAsync(connection, transaction, seriesId, after, upTo, options.Value.SnapshotEvery, cancellationToken).ConfigureAwait(false);
            monitor.Replay(history.Select(p => new TimedValue(DateTimeOffset.FromUnixTimeMilliseconds(p.Ts), p.Value)));
        }

        _feedbackChanged.TryRemove(seriesId, out _);
        monitor.Feedback = await LoadFeedbackAsync(connection, transaction, seriesId, cancellationToken).ConfigureAwait(false);
        return new MonitoredSeries(seriesId, monitor, pointsAtSnapshot);
    }

    private static async Task<IReadOnlyList<AnomalyPattern>> LoadFeedbackAsync(DbConnection connection, DbTransaction transaction, long seriesId, CancellationToken cancellationToken)
    {
        var marked = await AnomalyRepository.ListMarkedNormalAsync(connection, transaction, seriesId, cancellationToken).ConfigureAwait(false);
        return marked.Select(m => AnomalyRecords.RuleFor(m.Value, m.Context)).OfType<AnomalyPattern>().ToList();
    }

    private async Task SaveSnapshotAsync(DbConnection connection, DbTransaction transaction, MonitoredSeries series, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (series.Unsaved <= 0 || series.Monitor.LastScored is not { } last)
        {
            return;
        }

        var snapshot = series.Monitor.Snapshot();
        await DetectorStateRepository.SaveSnapshotAsync(connection, transaction, new DetectorSnapshot(series.SeriesId, last.ToUnixTimeMilliseconds(), snapshot), SeriesAnomalyMonitor.SnapshotFormat, now, cancellationToken).ConfigureAwait(false);
        metrics.Snapshots.Add(snapshot.Length);
        _snapshotsInFlight.Add((series, series.Monitor.ScoredPoints));
    }

    /// <summary>Drops the in-memory state of written series: their next write rebuilds it from what was committed.</summary>
    private void Forget(IReadOnlyList<SeriesWrite> writes)
    {
        foreach (var write in writes)
        {
            _monitors.Remove(write.SeriesId);
        }

        _snapshotsInFlight.Clear();
    }

    private void Release()
    {
        if (_holding)
        {
            _holding = false;
            _gate.Release();
        }
    }

    private sealed class SeriesOutcome
    {
        public List<DetectedAnomaly> Anomalies { get; } = [];

        public int Scored { get; set; }

        public int Late { get; set; }

        public int Suppressed { get; set; }
    }
}
