using Dapper;
using IntentVision.Data.Writing;

namespace IntentVision.Data.Anomalies;

/// <summary>
/// The <c>detector_state</c> table and the stored points detection replays, all on the <see cref="DatabaseWriter"/>'s
/// connection inside its transaction, so state moves exactly with the points it describes.
/// </summary>
public sealed class DetectorStateRepository(DatabaseWriter writer)
{
    /// <summary>Rows per multi-row statement: every statement is a round trip on a server.</summary>
    private const int RowsPerStatement = 200;

    public static async Task<DetectorState?> FindAsync(WriteScope scope, long seriesId, CancellationToken cancellationToken = default)
    {
        var row = await scope.Connection.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(
            """
            SELECT series_id AS SeriesId, last_scored_ts AS LastScoredTs, scored_points AS ScoredPoints, snapshot AS Snapshot,
                   snapshot_ts AS SnapshotTs, version AS Version
            FROM detector_state WHERE series_id = @SeriesId
            """,
            new { SeriesId = seriesId },
            scope.Transaction,
            cancellationToken: cancellationToken));
        return row is null ? null : new DetectorState(row.SeriesId, row.LastScoredTs, row.ScoredPoints, row.Snapshot, row.SnapshotTs, (int)row.Version);
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
    public static async Task SaveProgressAsync(WriteScope scope, IReadOnlyList<DetectorProgress> progress, int version, CancellationToken cancellationToken = default)
    {
        for (var offset = 0; offset < progress.Count; offset += RowsPerStatement)
        {
            var chunk = progress.Skip(offset).Take(RowsPerStatement).ToArray();
            var parameters = new DynamicParameters(new { Version = version, Now = scope.NowText });
            var values = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                values.Add($"(@s{i}, @t{i}, @n{i}, @Version, @Now)");
                parameters.Add($"s{i}", chunk[i].SeriesId);
                parameters.Add($"t{i}", chunk[i].LastScoredTs);
                parameters.Add($"n{i}", chunk[i].ScoredPoints);
            }

            await scope.Connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO detector_state (series_id, last_scored_ts, scored_points, version, updated_at) VALUES {string.Join(", ", values)}
                ON CONFLICT (series_id) DO UPDATE SET last_scored_ts = excluded.last_scored_ts, scored_points = excluded.scored_points, updated_at = excluded.updated_at
                """,
                parameters,
                scope.Transaction,
                cancellationToken: cancellationToken));
        }
    }

    /// <summary>Stores a full snapshot inside the writer's transaction (after its progress row was saved).</summary>
    public static async Task SaveSnapshotAsync(WriteScope scope, DetectorSnapshot snapshot, int version, CancellationToken cancellationToken = default)
    {
        await scope.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE detector_state SET snapshot = @Snapshot, snapshot_ts = @SnapshotTs, version = @Version, updated_at = @Now WHERE series_id = @SeriesId",
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
            """
            UPDATE detector_state SET snapshot = @Snapshot, snapshot_ts = @SnapshotTs, version = @Version, updated_at = @Now
            WHERE series_id = @SeriesId AND last_scored_ts >= @SnapshotTs AND (snapshot_ts IS NULL OR snapshot_ts < @SnapshotTs OR version <> @Version)
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

        public long Version { get; set; }
    }
}
