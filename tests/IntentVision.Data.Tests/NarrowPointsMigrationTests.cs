using Dapper;
using IntentVision.Data.Migrations;
using IntentVision.TestSupport;

namespace IntentVision.Data.Tests;

/// <summary>
/// 006_narrow_points on a database holding points in the wide table: every point survives the rewrite and the rollback
/// with its series, organization, metric key and dimensions, and a failing rewrite leaves the wide table as it was.
/// </summary>
public abstract class NarrowPointsMigrationTests(TestBackend backend) : DatabaseTestBase(backend)
{
    private const int Organizations = 3;
    private const int Series = 40;
    private const int PointsPerSeries = 2_500;

    private MigrationRunner Runner() => new(Db.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System);

    private async Task SeedWideAsync()
    {
        await Runner().RunAsync(targetVersion: 5);
        await WidePointsSeed.SeedAsync(Db.DataSource, Organizations, Series, PointsPerSeries);
    }

    [Fact]
    public async Task RewriteKeepsEveryPointUnderItsSeriesAndDropsTheRepeatedColumns()
    {
        await SeedWideAsync();
        var before = await FingerprintAsync("SELECT organization_id, metric_key, dimensions, series_id, ts, value FROM metrics ORDER BY series_id, ts");

        var result = await Runner().RunAsync(targetVersion: 6);

        Assert.Equal(6, result.Steps.Single().Version);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(["series_id", "ts", "value"], (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info('metrics') ORDER BY cid")).ToList());
        Assert.EndsWith("WITHOUT ROWID", await connection.ExecuteScalarAsync<string>("SELECT sql FROM sqlite_master WHERE name = 'metrics'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'metrics' AND type = 'index' AND sql IS NOT NULL"));
        Assert.Equal(before, await FingerprintAsync(
            "SELECT s.organization_id, s.metric_key, s.dimensions, m.series_id, m.ts, m.value FROM metrics m JOIN time_series s ON s.id = m.series_id ORDER BY m.series_id, m.ts"));
        Assert.Equal(WidePointsSeed.Value(1_234), await connection.ExecuteScalarAsync<double>(
            "SELECT value FROM metrics WHERE series_id = 7 AND ts = @ts", new { ts = WidePointsSeed.FirstTimestamp + (1_234 * WidePointsSeed.StepMilliseconds) }));
        Assert.Null(await connection.ExecuteScalarAsync<long?>("SELECT retention_days FROM organizations WHERE id = 'org1'"));
    }

    [Fact]
    public async Task RollbackRestoresTheWideTableWithEveryPoint()
    {
        await SeedWideAsync();
        var before = await FingerprintAsync("SELECT organization_id, metric_key, dimensions, series_id, ts, value FROM metrics ORDER BY series_id, ts");
        await Runner().RunAsync(targetVersion: 6);

        await Runner().RollbackAsync(steps: 1);

        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Contains("organization_id", (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info('metrics')")).ToList());
        Assert.DoesNotContain("retention_days", (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info('organizations')")).ToList());
        Assert.Equal(before, await FingerprintAsync("SELECT organization_id, metric_key, dimensions, series_id, ts, value FROM metrics ORDER BY series_id, ts"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name IN ('metrics_series_ts', 'metrics_org_ts')"));

        // And forward again: the rollback left a database the migration takes.
        await Runner().RunAsync(targetVersion: 6);
        Assert.Equal((long)Series * PointsPerSeries, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM metrics"));
    }

    [Fact]
    public async Task AFailingRewriteLeavesTheWideTableAsItWas()
    {
        await SeedWideAsync();
        await using var connection = await Db.DataSource.OpenConnectionAsync();

        // A table in the way with too few columns: the copy fails after the new table's statement ran.
        await connection.ExecuteAsync("CREATE TABLE metrics_006 (series_id INTEGER)");
        await Assert.ThrowsAsync<MigrationFailedException>(() => Runner().RunAsync(targetVersion: 6));

        Assert.Contains("organization_id", (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info('metrics')")).ToList());
        Assert.Equal((long)Series * PointsPerSeries, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM metrics"));
        Assert.Equal(5, await connection.ExecuteScalarAsync<long>("SELECT max(version) FROM _migrations"));
        Assert.DoesNotContain("retention_days", (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info('organizations')")).ToList());
    }

    /// <summary>Row count and an order-sensitive hash of the rows the query returns, computed by the database.</summary>
    private async Task<(long Rows, string Hash)> FingerprintAsync(string query)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string, string, string, long, long, double)>(query);
        var count = 0L;
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var row in rows)
        {
            count++;
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(row.ToString()));
        }

        return (count, Convert.ToHexString(hash.GetHashAndReset()));
    }
}
