// Where a 1,000-point ingest spends its time, piece by piece, in process (no HTTP): JSON reading, validation,
// the repository alone and the repository under concurrent callers. Stopwatch over many iterations; the pieces
// are measured in one run so that their ratios hold on a loaded machine.
using System.Diagnostics;
using System.Text.Json;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Metrics;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Api.Benchmarks;

internal static class IngestProfile
{
    public static async Task RunAsync(string databaseUrl, int iterations = 60)
    {
        var options = new JsonSerializerOptions(JsonSerializerOptions.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        var start = DateTimeOffset.UtcNow.AddDays(-10);
        byte[] Body(string metric, int offset) => JsonSerializer.SerializeToUtf8Bytes(new
        {
            points = Enumerable.Range(offset, 1000).Select(i => new { metric, timestamp = start.AddSeconds(i), value = i % 97 * 1.5, dimensions = new { host = metric } }),
        });

        var body = Body("profile", 0);
        var validator = new IngestRequestValidator(TimeProvider.System);

        // Bytes allocated per batch by each piece, process-wide: unlike time, the host's load does not move it.
        var allocated = new Dictionary<string, double>();
        double Time(Action action, string piece)
        {
            for (var i = 0; i < 5; i++)
            {
                action();
            }

            var bytes = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                action();
            }

            var elapsed = sw.Elapsed.TotalMilliseconds / iterations;
            allocated[piece] = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / 1024.0 / iterations;
            return elapsed;
        }

        var serializer = Time(() => JsonSerializer.Deserialize<IngestRequest>(body, options), "JsonSerializer");
        var parse = Time(() => IngestJsonReader.Read(body, options), "JSON read");
        var request = JsonSerializer.Deserialize<IngestRequest>(body, options);
        var validate = Time(() => validator.Validate(request), "validate");
        var points = validator.Validate(request).Points;
        var canonical = Time(() =>
        {
            foreach (var p in points)
            {
                CanonicalDimensions.Serialize(p.Dimensions);
            }
        }, "canonical dims");

        await using var dataSource = LibSqlDataSource.Create(databaseUrl);
        using var writer = new DatabaseWriter(dataSource, TimeProvider.System);
        await writer.StartAsync(CancellationToken.None);
        var repository = new IngestWriter(writer);
        await using (var c = await dataSource.OpenConnectionAsync())
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO organizations (id, name, created_at) VALUES ('prof', 'Profile', '2026-01-01T00:00:00Z')";
            await cmd.ExecuteNonQueryAsync();
        }

        // Like the validator's output: one dimensions object shared by the points of a batch that have equal ones.
        List<MetricPoint> Shifted(string metric, int batch)
        {
            var dimensions = new Dictionary<string, string> { ["host"] = metric };
            return points.Select(p => new MetricPoint(metric, p.Timestamp.AddSeconds(batch * 1000), p.Value, dimensions)).ToList();
        }

        for (var b = 0; b < 5; b++)
        {
            await repository.IngestAsync("prof", Shifted("warm", b));
        }

        var sequential = Enumerable.Range(0, iterations).Select(b => Shifted("seq", b)).ToList();
        var storeBytes = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        foreach (var batch in sequential)
        {
            await repository.IngestAsync("prof", batch);
        }

        var store = sw.Elapsed.TotalMilliseconds / iterations;
        allocated["store"] = (GC.GetTotalAllocatedBytes(precise: true) - storeBytes) / 1024.0 / iterations;

        const int Callers = 4;
        var concurrent = Enumerable.Range(0, Callers).Select(c => Enumerable.Range(0, iterations).Select(b => Shifted($"conc{c}", b)).ToList()).ToList();
        sw.Restart();
        await Task.WhenAll(concurrent.Select(list => Task.Run(async () =>
        {
            foreach (var batch in list)
            {
                await repository.IngestAsync("prof", batch);
            }
        })));
        var storeConcurrent = sw.Elapsed.TotalMilliseconds / (iterations * Callers);

        // What detection adds to a batch: one series' monitor scoring the next 1,000 points (it runs inside the ingest
        // transaction, on the writer, for every batch).
        var monitor = new IntentVision.Analytics.AnomalyDetection.SeriesAnomalyMonitor();
        var detect = 0.0;
        const int Passes = 30;
        for (var i = -10; i < Passes; i++)
        {
            var batch = Shifted("detect", i + 10).Select(p => new IntentVision.Analytics.Series.TimedValue(p.Timestamp, p.Value)).ToArray();
            sw.Restart();
            monitor.Observe(batch);
            detect += i < 0 ? 0 : sw.Elapsed.TotalMilliseconds / Passes;
        }

        var (spans, spanMs) = await CountSpansAsync(() => repository.IngestAsync("prof", Shifted("spans", 0)), 20, i => repository.IngestAsync("prof", Shifted("spans", i)));
        Console.WriteLine($"profile 1,000-point batch, in process, ms per batch, database {(dataSource.Capabilities.InProcess ? "file" : "sqld")}:");
        Console.WriteLine($"profile   JSON read {parse,7:F2} (JsonSerializer alone {serializer,7:F2})   validate {validate,7:F2}   canonical dims {canonical,7:F2}   store (1 caller) {store,7:F2}   store ({Callers} callers, per batch) {storeConcurrent,7:F2}");
        Console.WriteLine($"profile   KiB allocated per batch: {string.Join("   ", allocated.Select(a => $"{a.Key} {a.Value,7:F1}"))}");
        Console.WriteLine($"profile   detection of the batch (the series' monitor, O(new points)) {detect,7:F2}");
        Console.WriteLine($"profile   database calls per stored batch (1 caller): {spans}");
        Console.WriteLine($"profile   ms per stored batch inside those calls: {spanMs}");
        Console.WriteLine($"profile   => CPU before the store is {(parse + validate) / (parse + validate + store):P0} of a sequential batch; store alone caps at {1000 / storeConcurrent * 1000:N0} points/s with {Callers} callers");
    }

    /// <summary>
    /// The provider's spans (one per command, batch, commit or rollback: a round trip each on a server) over
    /// <paramref name="batches"/> sequential stores, per batch and by operation, and the milliseconds spent in them.
    /// </summary>
    private static async Task<(string Calls, string Milliseconds)> CountSpansAsync(Func<Task> warm, int batches, Func<int, Task> store)
    {
        await warm();
        var calls = new Dictionary<string, int>();
        var durations = new Dictionary<string, double>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LibSqlTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var text = activity.GetTagItem("db.query.text") as string;
                var name = activity.OperationName + (text is null ? string.Empty : " " + text.TrimStart().Split(' ', 2)[0]);
                lock (calls)
                {
                    calls[name] = calls.GetValueOrDefault(name) + 1;
                    durations[name] = durations.GetValueOrDefault(name) + activity.Duration.TotalMilliseconds;
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        for (var i = 1; i <= batches; i++)
        {
            await store(i);
        }

        lock (calls)
        {
            return (
                string.Join(", ", calls.OrderBy(c => c.Key).Select(c => $"{c.Key} {(double)c.Value / batches:0.##}")),
                string.Join(", ", durations.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value / batches:0.00}")));
        }
    }
}
