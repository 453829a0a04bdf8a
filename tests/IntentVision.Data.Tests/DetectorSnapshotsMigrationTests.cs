using Dapper;
using IntentVision.Data.Migrations;

namespace IntentVision.Data.Tests;

/// <summary>
/// 007_detector_snapshots on a database where detection has stored state: every snapshot moves to detector_snapshots with
/// its timestamp and format, every series' progress stays, and the rollback puts each snapshot back in its row.
/// </summary>
public abstract class DetectorSnapshotsMigrationTests(TestBackend backend) : DatabaseTestBase(backend)
{
    private static readonly byte[] SnapshotOfSeries1 = [.. Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7))];

    private MigrationRunner Runner() => new(Db.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System);

    /// <summary>At 006: series 1 scored and snapshotted, series 2 scored with no snapshot yet, series 3 never scored.</summary>
    private async Task SeedAt006Async()
    {
        await Runner().RunAsync(targetVersion: 6);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES ('org', 'Org', '2026-01-01T00:00:00Z')");
        await connection.ExecuteAsync("""
            INSERT INTO time_series (id, organization_id, metric_key, dimensions, created_at, updated_at)
            VALUES (1, 'org', 'm', '{"h":"1"}', 'c', 'u'), (2, 'org', 'm', '{"h":"2"}', 'c', 'u'), (3, 'org', 'm', '{"h":"3"}', 'c', 'u')
            """);
        await connection.ExecuteAsync(
            """
            INSERT INTO detector_state (series_id, last_scored_ts, scored_points, snapshot, snapshot_ts, version, updated_at)
            VALUES (1, 5000, 700, @Blob, 4000, 3, '2026-11-01T00:00:00.000Z'), (2, 9000, 40, NULL, NULL, 3, '2026-11-02T00:00:00.000Z')
            """,
            new { Blob = SnapshotOfSeries1 });
    }

    [Fact]
    public async Task SnapshotsMoveToTheirOwnTableAndProgressStays()
    {
        await SeedAt006Async();

        var result = await Runner().RunAsync();

        Assert.Equal(7, result.Steps.Single().Version);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(["series_id", "last_scored_ts", "scored_points", "updated_at"], (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info('detector_state') ORDER BY cid")).ToList());
        Assert.Equal(
            [(1L, 5000L, 700L, "2026-11-01T00:00:00.000Z"), (2L, 9000L, 40L, "2026-11-02T00:00:00.000Z")],
            (await connection.QueryAsync<(long, long, long, string)>("SELECT series_id, last_scored_ts, scored_points, updated_at FROM detector_state ORDER BY series_id")).ToList());
        var moved = (await connection.QueryAsync<(long SeriesId, byte[] Snapshot, long SnapshotTs, long Version)>("SELECT series_id, snapshot, snapshot_ts, version FROM detector_snapshots")).Single();
        Assert.Equal((1L, 4000L, 3L), (moved.SeriesId, moved.SnapshotTs, moved.Version));
        Assert.Equal(SnapshotOfSeries1, moved.Snapshot);

        // A series' snapshot goes with the series, as its state row does.
        await connection.ExecuteAsync("DELETE FROM time_series WHERE id = 1");
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM detector_snapshots"));
    }

    [Fact]
    public async Task RollbackPutsEachSnapshotBackInItsRow()
    {
        await SeedAt006Async();
        await Runner().RunAsync();

        await Runner().RollbackAsync(steps: 1);

        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'detector_snapshots'"));
        var rows = (await connection.QueryAsync<(long SeriesId, long LastScoredTs, long ScoredPoints, byte[]? Snapshot, long? SnapshotTs, long Version)>(
            "SELECT series_id, last_scored_ts, scored_points, snapshot, snapshot_ts, version FROM detector_state ORDER BY series_id")).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal((1L, 5000L, 700L, 4000L, 3L), (rows[0].SeriesId, rows[0].LastScoredTs, rows[0].ScoredPoints, rows[0].SnapshotTs!.Value, rows[0].Version));
        Assert.Equal(SnapshotOfSeries1, rows[0].Snapshot);
        Assert.Equal((2L, 9000L, 40L, null, (long?)null), (rows[1].SeriesId, rows[1].LastScoredTs, rows[1].ScoredPoints, rows[1].Snapshot, rows[1].SnapshotTs));

        // And forward again: the rollback left a database the migration takes.
        await Runner().RunAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM detector_snapshots WHERE series_id = 1 AND length(snapshot) = 200000"));
    }
}
