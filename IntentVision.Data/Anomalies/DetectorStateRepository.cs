using System.Globalization;
using System.Text;
using Dapper;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Anomalies;

/// <summary>
/// The <c>detector_state</c> (progress) and <c>detector_snapshots</c> tables and the stored points detection replays,
/// all on the <see cref="DatabaseWriter"/>'s connection inside its transaction, so state moves exactly with the points
/// it describes.
/// </summary>
public sealed class DetectorStateRepository(DatabaseWriter writer)
{
    /// <summary>
    /// Each series' progress from a JSON array of [series_id, last_scored_ts, scored_points]; <c>WHERE true</c> tells
    /// SQLite's parser the upsert clause from a join constraint.
    /// </summary>
    private const string SaveProgress = """
        INSERT INTO detector_state (series_id, last_scored_ts, scored_points, updated_at)
        SELECT value ->> 0, value ->> 1, value ->> 2, @now FROM json_each(@rows) WHERE true
        ON CONFLICT (series_id) DO UPDATE SET last_scored_ts = excluded.last_scored_ts, scored_points = excluded.scored_points, updated_at = excluded.updated_at
        """;

    private const string UpsertSnapshot = "INSERT INTO detector_snapshots (series_id, snapshot, snapshot_ts, version, updated_at)";

    private const string OnSnapshotConflict = """
        ON CONFLICT (series_id) DO UPDATE SET snapshot = excluded.snapshot, snapshot_ts = excluded.snapshot_ts, version = excluded.version, updated_at = excluded.updated_at
        """;

    private const string SelectState = """
        SELECT d.series_id AS SeriesId, d.last_scored_ts AS LastScoredTs, d.scored_points AS ScoredPoints, s.snapshot AS Snapshot,
               s.snapshot_ts AS SnapshotTs, s.version AS Version
        FROM detector_state d LEFT JOIN detector_snapshots s ON s.series_id = d.series_id
        WHERE d.series_id = @SeriesId
        """;

    /// <summary>A series never scored: its latest stored points up to <c>@UpTo</c>, newest first (none once it has been scored).</summary>
    private const string SelectWarmStart = """
        SELECT ts, value FROM metrics
        WHERE series_id = @SeriesId AND ts <= @UpTo
          AND NOT EXISTS (SELECT 1 FROM detector_state WHERE series_id = @SeriesId AND last_scored_ts IS NOT NULL)
        ORDER BY ts DESC LIMIT @Limit
        """;

    /// <summary>
    /// What detection reads to take up a series it does not hold in memory, in one request (each request is a round trip
    /// on a server, paid by the writer's serial path): the stored state, the analysts' "not an anomaly" verdicts, and, for
    /// a series never scored, its latest <paramref name="warmStartLimit"/> stored points up to
    /// <paramref name="warmStartUpTo"/>. A series scored before reads its replay with <see cref="ReadPointsAsync"/> once
    /// its snapshot is known.
    /// </summary>
    public static async Task<DetectorLoad> LoadAsync(WriteScope scope, long seriesId, long warmStartUpTo, int warmStartLimit, CancellationToken cancellationToken = default)
    {
        using var results = await scope.Connection.QueryMultipleAsync(new CommandDefinition(
            $"{SelectState};\n{AnomalyRepository.SelectMarked};\n{SelectWarmStart}",
            new { SeriesId = seriesId, Verdict = AnomalyFeedback.NotAnomaly, UpTo = warmStartUpTo, Limit = warmStartLimit },
            scope.Transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var row = await results.ReadSingleOrDefaultAsync<StateRow>().ConfigureAwait(false);
        var marked = (await results.ReadAsync<(double, string)>().ConfigureAwait(false)).ToList();
        var warmStart = (await results.ReadAsync<(long, double)>().ConfigureAwait(false)).ToList();
        warmStart.Reverse();
        var state = row is null ? null : new DetectorState(row.SeriesId, row.LastScoredTs, row.ScoredPoints, row.Snapshot, row.SnapshotTs, (int?)row.Version);
        return new DetectorLoad(state, marked, warmStart);
    }

    /// <summary>The latest <paramref name="limit"/> stored points with <paramref name="after"/> &lt; ts &lt;= <paramref name="upTo"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<(long Ts, double Value)>> ReadPointsAsync(WriteScope scope, long seriesId, long after, long upTo, int limit, CancellationToken cancellationToken = default)
    {
        var rows = (await scope.Connection.QueryAsync<(long, double)>(new CommandDefinition(
            "SELECT ts, value FROM metrics WHERE series_id = @SeriesId AND ts > @After AND ts <= @UpTo ORDER BY ts DESC LIMIT @Limit",
            new { SeriesId = seriesId, After = after, UpTo = upTo, Limit = limit },
            scope.Transaction,
            cancellationToken: cancellationToken))).ToList();
        rows.Reverse();
        return rows;
    }

    /// <summary>Moves each series' last scored timestamp and count; creates the row for a series scored the first time.</summary>
    public static async Task SaveProgressAsync(WriteScope scope, IReadOnlyList<DetectorProgress> progress, CancellationToken cancellationToken = default)
    {
        if (progress.Count == 0)
        {
            return;
        }

        // Written in every ingest transaction, on the writer's serial path: one statement of the same text for any number
        // of series (one cached prepared statement in process, one statement on a server), its rows one JSON parameter.
        var rows = new StringBuilder(progress.Count * 40).Append('[');
        foreach (var row in progress)
        {
            rows.Append(CultureInfo.InvariantCulture, $"{(rows.Length == 1 ? "" : ",")}[{row.SeriesId},{row.LastScoredTs},{row.ScoredPoints}]");
        }

        await using var command = new LibSqlCommand(SaveProgress, scope.Connection, scope.Transaction);
        command.Parameters.AddWithValue("rows", rows.Append(']').ToString());
        command.Parameters.AddWithValue("now", scope.NowText);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a full snapshot inside the writer's transaction (after its progress row was saved).</summary>
    public static async Task SaveSnapshotAsync(WriteScope scope, DetectorSnapshot snapshot, int version, CancellationToken cancellationToken = default)
    {
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            $"{UpsertSnapshot} VALUES (@SeriesId, @Snapshot, @SnapshotTs, @Version, @Now) {OnSnapshotConflict}",
            new { snapshot.SeriesId, snapshot.SnapshotTs, snapshot.Snapshot, Version = version, Now = scope.NowText },
            scope.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Stores snapshots taken outside an ingest (at shutdown) as a unit of the writer. Only the snapshot columns change,
    /// and never to an older snapshot than the stored one: progress moves with ingest alone.
    /// </summary>
    public Task SaveSnapshotsAsync(IReadOnlyList<DetectorSnapshot> snapshots, int version, CancellationToken cancellationToken = default) =>
        snapshots.Count == 0 ? Task.CompletedTask : writer.WriteAsync(new SnapshotsUnit(snapshots, version), cancellationToken);

    private sealed class SnapshotsUnit(IReadOnlyList<DetectorSnapshot> snapshots, int version) : IWriteUnit<int>
    {
        public int Weight => snapshots.Count;

        public Task<int> WriteAsync(WriteScope scope, CancellationToken cancellationToken) => scope.Connection.ExecuteAsync(new CommandDefinition(
            $"""
            {UpsertSnapshot}
            SELECT @SeriesId, @Snapshot, @SnapshotTs, @Version, @Now
            WHERE EXISTS (SELECT 1 FROM detector_state WHERE series_id = @SeriesId AND last_scored_ts >= @SnapshotTs)
            {OnSnapshotConflict}
            WHERE detector_snapshots.snapshot_ts < excluded.snapshot_ts OR detector_snapshots.version <> excluded.version
            """,
            snapshots.Select(s => new { s.SeriesId, s.SnapshotTs, s.Snapshot, Version = version, Now = scope.NowText }),
            scope.Transaction,
            cancellationToken: cancellationToken));
    }

    private sealed class StateRow
    {
        public long SeriesId { get; set; }

        public long? LastScoredTs { get; set; }

        public long ScoredPoints { get; set; }

        public byte[]? Snapshot { get; set; }

        public long? SnapshotTs { get; set; }

        public long? Version { get; set; }
    }
}
