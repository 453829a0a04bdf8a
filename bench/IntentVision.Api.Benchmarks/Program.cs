// Ingest and read benchmark of the API on the file: database, against raw Microsoft.Data.Sqlite in the same run.
// Usage: dotnet run -c Release --project bench/IntentVision.Api.Benchmarks [-- --clients 4 --batches 40]
// Only loopback traffic; every loop is bounded.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace IntentVision.Api.Benchmarks;

/// <summary>The entry point lives in a class so that <c>Program</c> below names the API's entry point.</summary>
internal static class IngestAndReadBenchmark
{
    public static async Task Main(string[] args)
    {

        var clients = IntArg("--clients", 4);
        var batches = IntArg("--batches", 40);
        const int BatchSize = 1000;
        const string AdminKey = "benchmark-bootstrap-admin-key-000000000000";
        var directory = Directory.CreateTempSubdirectory("intentvision-bench-").FullName;
        try
        {
            var apiDb = "file:" + Path.Combine(directory, "api.db");
            var rawDb = Path.Combine(directory, "raw.db");
            await Migrate(apiDb);
            await Migrate("file:" + rawDb);

            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            {
                b.UseSetting("ConnectionStrings:intentvision", apiDb);
                b.UseSetting("IntentVision:BootstrapAdminKey", AdminKey);
                b.UseSetting("Logging:LogLevel:Default", "Warning");
            });
            factory.UseKestrel(0);
            factory.StartServer();
            using var admin = factory.CreateClient();
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            (await admin.PostAsJsonAsync("/api/organizations", new { id = "bench", name = "Benchmark" })).EnsureSuccessStatusCode();
            admin.DefaultRequestHeaders.Add("X-IntentVision-Organization", "bench");
            var key = (await (await admin.PostAsJsonAsync("/api/keys", new { name = "bench", scopes = new[] { "admin" } })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
            Console.WriteLine($"API on {admin.BaseAddress} (Kestrel, real HTTP), database {apiDb}");

            HttpClient Client()
            {
                var c = factory.CreateClient();
                c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                return c;
            }

            var t0 = DateTimeOffset.UtcNow.AddDays(-20);
            static byte[] Batch(string metric, DateTimeOffset start, int offset, int count) => JsonSerializer.SerializeToUtf8Bytes(new
            {
                points = Enumerable.Range(offset, count).Select(i => new { metric, timestamp = start.AddSeconds(i), value = i % 97 * 1.5, dimensions = new { host = metric } }),
            });

            // Warm-up: JIT, connection pools, statement caches.
            using (var warm = Client())
            {
                for (var i = 0; i < 5; i++)
                {
                    await Post(warm, Batch("warmup", t0, i * BatchSize, BatchSize));
                }
            }

            // 1. Concurrent ingest through the API: each client its own series, 1,000-point batches.
            var bodies = Enumerable.Range(0, clients).Select(c => Enumerable.Range(0, batches).Select(b => Batch($"load.c{c}", t0, b * BatchSize, BatchSize)).ToArray()).ToArray();
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
            {
                using var http = Client();
                foreach (var body in bodies[c])
                {
                    await Post(http, body);
                }
            }));
            var apiRate = clients * batches * BatchSize / sw.Elapsed.TotalSeconds;

            // 2. Raw reference: prepared inserts into the same schema, 1,000-row transactions, same point count.
            var rawRate = RawInsert(rawDb, clients * batches * BatchSize, BatchSize);
            Console.WriteLine($"ingest  api {apiRate,12:N0} points/s ({clients} clients x {batches} batches x {BatchSize})");
            Console.WriteLine($"ingest  raw {rawRate,12:N0} points/s (Microsoft.Data.Sqlite prepared INSERT, same schema)");
            Console.WriteLine($"ingest  ratio api/raw {apiRate / rawRate:P0}  goal >= 100,000 points/s and >= 50%");

            // 3. Latency of a 100-point batch while background clients run at about half the peak rate.
            var target = apiRate / 2;
            using var stop = new CancellationTokenSource();
            var background = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                using var http = Client();
                var perClient = target / clients / BatchSize;
                var interval = TimeSpan.FromSeconds(1 / perClient);
                var next = Stopwatch.GetTimestamp();
                for (var b = 0; b < 10_000 && !stop.IsCancellationRequested; b++)
                {
                    await Post(http, Batch($"half.c{c}", t0, b * BatchSize, BatchSize));
                    next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                }
            })).ToArray();
            var latencies = new List<double>();
            using (var probe = Client())
            {
                for (var i = 0; i < 300; i++)
                {
                    var body = Batch("probe", t0, i * 100, 100);
                    var start = Stopwatch.GetTimestamp();
                    await Post(probe, body);
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            stop.Cancel();
            await Task.WhenAll(background);
            Console.WriteLine($"latency 100-point batch at ~{target:N0} points/s background: p50 {Percentile(latencies, 0.50):F2} ms, p99 {Percentile(latencies, 0.99):F2} ms");

            // 4. Read: one week of one-minute points, bucketed to ~500 points.
            using var reader = Client();
            var weekStart = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(-9);
            long seriesId = 0;
            for (var offset = 0; offset < 10_080; offset += 5040)
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    points = Enumerable.Range(offset, 5040).Select(i => new { metric = "week", timestamp = weekStart.AddMinutes(i), value = Math.Sin(i / 60.0) * 10 + (i % 7) }),
                });
                var response = await Post(reader, body);
                seriesId = response.GetProperty("seriesIds")[0].GetInt64();
            }

            foreach (var query in new[] { "step=20m&agg=avg", "maxPoints=500" })
            {
                var times = new List<double>();
                var count = 0;
                for (var i = 0; i < 220; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var result = await reader.GetFromJsonAsync<JsonElement>($"/api/series/{seriesId}/points?{query}");
                    var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    count = result.GetProperty("points").GetArrayLength();
                    if (i >= 20)
                    {
                        times.Add(elapsed);
                    }
                }

                Console.WriteLine($"read    10,080 points -> {count} ({query}): p50 {Percentile(times, 0.50):F2} ms, p99 {Percentile(times, 0.99):F2} ms  goal p50 < 20 ms");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        static async Task<JsonElement> Post(HttpClient http, byte[] body)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("/api/metrics", content);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        static async Task Migrate(string url)
        {
            await using var dataSource = LibSqlDataSource.Create(url);
            await new MigrationRunner(dataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System).RunAsync();
        }

        static double RawInsert(string path, int total, int batch)
        {
            using var connection = new SqliteConnection($"Data Source={path};Foreign Keys=True");
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; INSERT INTO organizations (id, name, created_at) VALUES ('raw', 'Raw', '2026-01-01T00:00:00Z'); INSERT INTO time_series (id, organization_id, metric_key, dimensions, created_at, updated_at) VALUES (1, 'raw', 'raw', '{\"host\":\"raw\"}', 'x', 'x');";
                pragma.ExecuteNonQuery();
            }

            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            var sw = Stopwatch.StartNew();
            for (var done = 0; done < total; done += batch)
            {
                using var tx = connection.BeginTransaction();
                using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO metrics (organization_id, series_id, metric_key, dimensions, ts, value, source, ingested_at) VALUES ('raw', 1, 'raw', '{\"host\":\"raw\"}', $ts, $v, 'api', $now) ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value";
                var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
                var v = insert.Parameters.Add("$v", SqliteType.Real);
                insert.Parameters.AddWithValue("$now", now);
                insert.Prepare();
                for (var i = 0; i < batch; i++)
                {
                    ts.Value = 1_700_000_000_000L + ((done + i) * 1000L);
                    v.Value = (done + i) % 97 * 1.5;
                    insert.ExecuteNonQuery();
                }

                tx.Commit();
            }

            return total / sw.Elapsed.TotalSeconds;
        }

        static double Percentile(List<double> values, double p)
        {
            var sorted = values.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        }

        int IntArg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
        }

    }
}
