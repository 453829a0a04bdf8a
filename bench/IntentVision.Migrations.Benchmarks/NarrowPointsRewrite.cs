using System.Diagnostics;
using Dapper;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using IntentVision.TestSupport;

/// <summary>
/// `-- narrow [points]`: 006_narrow_points and its rollback on a file and on sqld holding that many points in the wide
/// table (1,000 series). Prints the seconds of each and the bytes per point of the database (page_count x page_size, so
/// free pages count) before, after, and, on the file, after a VACUUM.
/// </summary>
internal static class NarrowPointsRewrite
{
    private const int Series = 1_000;

    public static async Task RunAsync(long points)
    {
        var perSeries = (int)(points / Series);
        Console.WriteLine($"006_narrow_points with {(long)perSeries * Series:N0} points in {Series:N0} series");
        var folder = Directory.CreateTempSubdirectory("intentvision-narrow-");
        try
        {
            using (var file = LibSqlDataSource.Create("file:" + Path.Combine(folder.FullName, "narrow.db")))
            {
                await MeasureAsync("file", file, perSeries, vacuum: true);
            }

            await using var server = await SqldServer.StartAsync();
            using var sqld = server.CreateDataSource();
            await MeasureAsync("sqld", sqld, perSeries, vacuum: false);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task MeasureAsync(string backend, LibSqlDataSource dataSource, int perSeries, bool vacuum)
    {
        var catalog = MigrationCatalog.FromEmbeddedResources();
        var runner = new MigrationRunner(dataSource, catalog, TimeProvider.System);
        await runner.RunAsync(targetVersion: 5);
        var watch = Stopwatch.StartNew();
        await WidePointsSeed.SeedAsync(dataSource, 10, Series, perSeries);
        Console.WriteLine($"{backend}: seeded in {watch.Elapsed.TotalSeconds:0.0} s");
        var points = (double)perSeries * Series;
        Console.WriteLine($"{backend}: wide table {await BytesAsync(dataSource) / points,6:0.0} bytes/point");

        watch.Restart();
        await runner.RunAsync();
        Console.WriteLine($"{backend}: 006 up   {watch.Elapsed.TotalSeconds,7:0.0} s; {await BytesAsync(dataSource) / points,6:0.0} bytes/point in the file (the wide table's pages now free)");
        if (vacuum)
        {
            await ExecuteAsync(dataSource, "VACUUM");
            Console.WriteLine($"{backend}: after VACUUM {await BytesAsync(dataSource) / points,6:0.0} bytes/point");
        }

        watch.Restart();
        await runner.RollbackAsync(steps: 1);
        Console.WriteLine($"{backend}: 006 down {watch.Elapsed.TotalSeconds,7:0.0} s");
        watch.Restart();
        await runner.RunAsync();
        Console.WriteLine($"{backend}: 006 up again {watch.Elapsed.TotalSeconds,7:0.0} s");
    }

    private static async Task<long> BytesAsync(LibSqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
    }

    private static async Task ExecuteAsync(LibSqlDataSource dataSource, string sql)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
