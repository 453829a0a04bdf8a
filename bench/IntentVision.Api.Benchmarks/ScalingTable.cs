// `-- --scaling [--scaling-points 0,1000000,10000000]`: the API over a database already holding that many points in
// 1,000 series, on the file and on sqld: ingest points/s (4 clients appending 1,000-point batches to stored series: cold,
// each round to series detection meets for the first time; warm, again to the first round's series), a
// one-week bucketed read (10,080 -> 504 points, step=20m&agg=avg), GET /api/series listing 1,000 series, the database's
// bytes (page_count x page_size) and bytes per point, and the process's resident memory (API and its clients: one
// process). Stored points are made by the database itself (recursive CTE), in key order, before the API starts.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.LibSql;
using IntentVision.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IntentVision.Api.Benchmarks;

internal static class ScalingTable
{
    private const int Series = 1_000;
    private const int Clients = 4;
    private const int BatchesPerClient = 15;
    private const int BatchSize = 1_000;

    public static async Task RunAsync(string directory, IReadOnlyList<long> sizes, bool file, bool sqld, bool detection,
        Func<string, Task> migrate, Func<string, bool, Task<(WebApplicationFactory<Program> Factory, Func<HttpClient> Client)>> startApi,
        Func<HttpClient, byte[], Task<JsonElement>> post)
    {
        // Warm-up (JIT, pools), not printed: otherwise the first row pays for it.
        var warm = "file:" + Path.Combine(directory, "scaling-warm.db");
        await MeasureAsync("warm", warm, 0, detection, migrate, startApi, post, print: false);
        Console.WriteLine($"detection {(detection ? "on" : "off")}");
        Console.WriteLine($"{"backend",-7} {"stored",12} {"cold pts/s",13} {"warm pts/s",13} {"read p50",9} {"read p99",9} {"series p50",11} {"series p99",11} {"bytes",15} {"B/point",8} {"RSS MiB",8}");
        foreach (var size in sizes)
        {
            if (file)
            {
                var url = "file:" + Path.Combine(directory, $"scaling-{size}.db");
                await MeasureAsync("file", url, size, detection, migrate, startApi, post);
                File.Delete(url["file:".Length..]);
            }

            if (sqld)
            {
                await using var server = await SqldServer.StartAsync();
                await MeasureAsync("sqld", server.ConnectionString, size, detection, migrate, startApi, post);
            }
        }
    }

    private static async Task MeasureAsync(string label, string url, long size, bool detection, Func<string, Task> migrate,
        Func<string, bool, Task<(WebApplicationFactory<Program> Factory, Func<HttpClient> Client)>> startApi, Func<HttpClient, byte[], Task<JsonElement>> post, bool print = true)
    {
        await migrate(url);
        var (factory, client) = await startApi(url, detection);
        await using var disposeFactory = factory;
        var perSeries = size / Series;
        var end = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(-12);
        var first = end.AddMinutes(-perSeries);
        using (var dataSource = LibSqlDataSource.Create(url))
        {
            await SeedAsync(dataSource, perSeries, first.ToUnixTimeMilliseconds());
        }

        using var http = client();

        // Ingest: each client appends to stored series of its own (new series when nothing is stored yet). Cold rounds
        // write to series detection has not seen yet, so each first write rebuilds the series' detector from its stored
        // history (up to DetectionOptions.WarmStartPoints points), once in the series' life; warm rounds append again to
        // the series of the first round, whose detectors are in memory: the steady state.
        async Task<double> Ingest(int round, bool warm = false)
        {
            var bodies = Enumerable.Range(0, Clients).Select(c => Enumerable.Range(0, BatchesPerClient)
                .Select(b => Body(c + 1 + (warm ? 0 : round * Clients), end.AddSeconds(((round * BatchesPerClient) + b) * BatchSize), BatchSize)).ToArray()).ToArray();
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
            {
                using var own = client();
                foreach (var body in bodies[c])
                {
                    await post(own, body);
                }
            }));
            return Clients * BatchesPerClient * BatchSize / sw.Elapsed.TotalSeconds;
        }

        await Ingest(0);
        var rates = new List<double> { await Ingest(1), await Ingest(2), await Ingest(3) };
        var warmRates = new List<double> { await Ingest(4, warm: true), await Ingest(5, warm: true), await Ingest(6, warm: true) };

        // One week of one-minute points in a series of its own, then bucketed reads of it.
        var weekStart = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(-9);
        long weekSeries = 0;
        for (var offset = 0; offset < 10_080; offset += 5_040)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                points = Enumerable.Range(offset, 5_040).Select(i => new { metric = "week", timestamp = weekStart.AddMinutes(i), value = Math.Sin(i / 60.0) * 10 + (i % 7) }),
            });
            weekSeries = (await post(http, body)).GetProperty("seriesIds")[0].GetInt64();
        }

        // As the dashboard's chart asks: the week named by from and to.
        var week = $"from={Uri.EscapeDataString(weekStart.ToString("O"))}&to={Uri.EscapeDataString(weekStart.AddDays(7).ToString("O"))}";
        var reads = await TimeAsync(220, () => http.GetFromJsonAsync<JsonElement>($"/api/series/{weekSeries}/points?step=20m&agg=avg&{week}"));
        var lists = await TimeAsync(60, () => http.GetFromJsonAsync<JsonElement>("/api/series?limit=1000"));

        long bytes;
        long points;
        using (var dataSource = LibSqlDataSource.Create(url))
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()), (SELECT sum(point_count) FROM time_series)";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            bytes = reader.GetInt64(0);
            points = reader.GetInt64(1);
        }

        var rss = Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024.0);
        if (!print)
        {
            return;
        }

        Console.WriteLine($"{label,-7} {size,12:N0} {Median(rates),13:N0} {Median(warmRates),13:N0} {Median(reads),9:F2} {Percentile(reads, 0.99),9:F2} {Median(lists),11:F2} {Percentile(lists, 0.99),11:F2} {bytes,15:N0} {(double)bytes / points,8:F1} {rss,8:F0}");
    }

    /// <summary>1,000 series of organization "bench" (the API made it), <paramref name="perSeries"/> one-minute points each.</summary>
    private static async Task SeedAsync(LibSqlDataSource dataSource, long perSeries, long firstTs)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $$"""
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {{Series}})
            INSERT INTO time_series (organization_id, metric_key, dimensions, point_count, first_ts, last_ts, resolution_seconds, created_at, updated_at)
            SELECT 'bench', 'scale', '{"host":"h' || n || '"}', {{perSeries}}, CASE WHEN {{perSeries}} > 0 THEN {{firstTs}} END,
                   CASE WHEN {{perSeries}} > 0 THEN {{firstTs}} + ({{perSeries}} - 1) * 60000 END, 60, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
            FROM s
            """);
        if (perSeries == 0)
        {
            return;
        }

        var ids = new List<long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id FROM time_series WHERE metric_key = 'scale' ORDER BY id";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        foreach (var id in ids)
        {
            await ExecuteAsync(connection, $"""
                WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < {perSeries - 1})
                INSERT INTO metrics (series_id, ts, value) SELECT {id}, {firstTs} + i * 60000, (i % 1000) * 0.25 + 0.125 FROM p
                """);
        }
    }

    private static byte[] Body(int host, DateTimeOffset start, int count) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        points = Enumerable.Range(0, count).Select(i => new { metric = "scale", timestamp = start.AddSeconds(i), value = i % 97 * 1.5, dimensions = new { host = $"h{host}" } }),
    });

    private static async Task<List<double>> TimeAsync(int count, Func<Task> call)
    {
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            if (i >= 20)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        return times;
    }

    private static async Task ExecuteAsync(LibSqlConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
