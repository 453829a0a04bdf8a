using Dapper;
using IntentVision.Data.Anomalies;
using IntentVision.Data.Migrations;
using IntentVision.Data.Writing;

namespace IntentVision.Data.Tests;

/// <summary>
/// What detection reads in one request to take up a series: a series never scored gets its latest stored points before
/// the write as a warm start; a series scored before gets its state and snapshot and no warm start (its replay is read
/// next); both get the values and contexts of the anomalies analysts marked "not an anomaly", and of no other.
/// </summary>
public abstract class DetectorLoadTests(TestBackend backend) : DatabaseTestBase(backend)
{
    private const long T0 = 1_700_000_000_000;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await new MigrationRunner(Db.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System).RunAsync();
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES ('org', 'Org', 'c')");
        await connection.ExecuteAsync("""
            INSERT INTO time_series (id, organization_id, metric_key, dimensions, created_at, updated_at)
            VALUES (1, 'org', 'never.scored', '{}', 'c', 'u'), (2, 'org', 'scored', '{}', 'c', 'u')
            """);
        await connection.ExecuteAsync(
            "WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < 99) INSERT INTO metrics (series_id, ts, value) SELECT s.id, @T0 + i * 1000, i FROM p, time_series s",
            new { T0 });
        await connection.ExecuteAsync("INSERT INTO detector_state (series_id, last_scored_ts, scored_points, updated_at) VALUES (2, @Last, 100, 'u')", new { Last = T0 + 99_000 });
        await connection.ExecuteAsync("INSERT INTO detector_snapshots (series_id, snapshot, snapshot_ts, version, updated_at) VALUES (2, x'0102', @At, 2, 'u')", new { At = T0 + 50_000 });
        await connection.ExecuteAsync("""
            INSERT INTO anomalies (id, organization_id, series_id, ts, value, score, severity, type, context, detected_at)
            VALUES (1, 'org', 1, @T0, 7.5, 0.9, 'high', 'point', '{"marked":1}', 'd'), (2, 'org', 1, @T0 + 1000, 8.5, 0.9, 'high', 'point', '{}', 'd'),
                   (3, 'org', 2, @T0, 9.5, 0.9, 'high', 'point', '{"marked":3}', 'd')
            """,
            new { T0 });
        await connection.ExecuteAsync("INSERT INTO anomaly_feedback (anomaly_id, series_id, verdict, given_by, given_at) VALUES (1, 1, 'not_anomaly', 'me', 'g'), (3, 2, 'not_anomaly', 'me', 'g')");
    }

    [Fact]
    public async Task ASeriesNeverScoredGetsItsLatestPointsBeforeTheWriteAsAWarmStart()
    {
        var load = await LoadAsync(seriesId: 1, warmStartUpTo: T0 + 79_000, limit: 30);

        Assert.Null(load.State);
        Assert.Equal(Enumerable.Range(50, 30).Select(i => (T0 + (i * 1000L), (double)i)), load.WarmStart);
        Assert.Equal([(7.5, """{"marked":1}""")], load.MarkedNormal);
    }

    [Fact]
    public async Task ASeriesScoredBeforeGetsItsStateAndSnapshotAndNoWarmStart()
    {
        var load = await LoadAsync(seriesId: 2, warmStartUpTo: T0 + 79_000, limit: 30);

        var state = Assert.IsType<DetectorState>(load.State);
        Assert.Equal((2L, (long?)(T0 + 99_000), 100L, (long?)(T0 + 50_000), (int?)2), (state.SeriesId, state.LastScoredTs, state.ScoredPoints, state.SnapshotTs, state.Version));
        Assert.Equal([1, 2], state.Snapshot);
        Assert.Empty(load.WarmStart);
        Assert.Equal([(9.5, """{"marked":3}""")], load.MarkedNormal);
    }

    private async Task<DetectorLoad> LoadAsync(long seriesId, long warmStartUpTo, int limit)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        return await DetectorStateRepository.LoadAsync(new WriteScope(connection, transaction, DateTimeOffset.UtcNow), seriesId, warmStartUpTo, limit);
    }
}
