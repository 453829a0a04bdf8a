// Ingest and read benchmark of the API, on the file: database against raw Microsoft.Data.Sqlite prepared inserts,
// and on a real sqld against one json_each upsert per batch through IntentVision.LibSql, each pair in the same run.
// Usage: dotnet run -c Release --project bench/IntentVision.Api.Benchmarks [-- --clients 4 --batches 40 --rounds 3
//        --detection on|off --sqld-batches 10 --no-file --no-sqld --profile-only --no-detection-cost --detection-cost-only],
//        or -- --fairness [--rounds 3]: one tenant flooding slow webhooks against another tenant's alert delivery time
//        (see DeliveryFairness.cs)
// The detection cost section runs two APIs (detection on and off) with the same load in alternating rounds; the
// environment variable BENCH_SNAPSHOT_EVERY overrides the detector snapshot interval there, for measuring it.
// Only loopback traffic; every loop is bounded. API and raw rounds alternate so that both see the same machine load
// (the host this runs on is shared); the ratio is the median of the per-round ratios.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using IntentVision.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace IntentVision.Api.Benchmarks;

/// <summary>The entry point lives in a class so that <c>Program</c> below names the API's entry point.</summary>
internal static class IngestAndReadBenchmark
{
    private const int BatchSize = 1000;

    /// <summary>How long each side is loaded, unmeasured, before the first measured round.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);
    private const string AdminKey = "benchmark-bootstrap-admin-key-000000000000";

    public static async Task Main(string[] args)
    {
        var clients = IntArg("--clients", 4);
        var batches = IntArg("--batches", 40);
        var rounds = IntArg("--rounds", 3);
        var sqldBatches = IntArg("--sqld-batches", 10);
        var detection = !args.Contains("--detection") || args[Array.IndexOf(args, "--detection") + 1] != "off";
        var directory = Directory.CreateTempSubdirectory("intentvision-bench-").FullName;
        try
        {
            if (args.Contains("--fairness"))
            {
                var fairnessDb = "file:" + Path.Combine(directory, "fairness.db");
                await Migrate(fairnessDb);
                await DeliveryFairness.RunAsync(fairnessDb, AdminKey, IntArg("--rounds", 3));
                return;
            }

            if (args.Contains("--scaling"))
            {
                var i = Array.IndexOf(args, "--scaling-points");
                var sizes = i >= 0 && i + 1 < args.Length
                    ? args[i + 1].Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToList()
                    : [0, 1_000_000, 10_000_000];
                await ScalingTable.RunAsync(directory, sizes, !args.Contains("--no-file"), !args.Contains("--no-sqld"), detection, Migrate, StartApiAsync, Post);
                return;
            }

            var profileDb = "file:" + Path.Combine(directory, "profile.db");
            await Migrate(profileDb);
            if (!args.Contains("--no-profile"))
            {
                await IngestProfile.RunAsync(profileDb);
                if (!args.Contains("--no-sqld"))
                {
                    await using var profileServer = await SqldServer.StartAsync();
                    await Migrate(profileServer.ConnectionString);
                    await IngestProfile.RunAsync(profileServer.ConnectionString);
                }
            }

            if (args.Contains("--profile-only"))
            {
                return;
            }

            if (!args.Contains("--no-detection-cost"))
            {
                await CompareDetectionAsync(directory, clients, batches, Math.Max(rounds, 5));
            }

            if (args.Contains("--detection-cost-only"))
            {
                return;
            }

            var rawDb = Path.Combine(directory, "raw.db");
            await Migrate("file:" + rawDb);
            var apiDb = "file:" + Path.Combine(directory, "api.db");
            await Migrate(apiDb);
            using (var raw = new SqliteRaw(rawDb))
            if (!args.Contains("--no-file"))
            {
                await RunSuiteAsync("file", apiDb, raw.Insert, clients, batches, rounds, detection, serverProcess: null);
            }

            if (!args.Contains("--no-sqld"))
            {
                await using var sqld = await SqldServer.StartAsync();
                await Migrate(sqld.ConnectionString);
                await using var rawSource = sqld.CreateDataSource();
                var raw = new SqldRaw(rawSource);
                await raw.InitializeAsync();
                await RunSuiteAsync("sqld", sqld.ConnectionString, raw.Insert, clients, sqldBatches, rounds, detection, sqld.ProcessId);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        int IntArg(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
        }
    }

    /// <summary>The API on Kestrel over <paramref name="connectionString"/>, an organization "bench" and a key of it.</summary>
    private static async Task<(WebApplicationFactory<Program> Factory, Func<HttpClient> Client)> StartApiAsync(string connectionString, bool detection)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:intentvision", connectionString);
            b.UseSetting("IntentVision:BootstrapAdminKey", AdminKey);
            b.UseSetting("IntentVision:Jobs:Detection:Enabled", detection ? "true" : "false");
            if (Environment.GetEnvironmentVariable("BENCH_SNAPSHOT_EVERY") is { Length: > 0 } every)
            {
                b.UseSetting("IntentVision:Jobs:Detection:SnapshotEvery", every);
            }
            b.UseSetting("Logging:LogLevel:Default", "Warning");

            // The benchmark measures the write path, not the quotas that protect it from one tenant's flood.
            b.UseSetting("IntentVision:Limits:RequestsPerSecondPerKey", "0");
            b.UseSetting("IntentVision:Limits:RequestsPerSecondPerOrganization", "0");
            b.UseSetting("IntentVision:Limits:IngestPointsPerMinutePerKey", "0");
            b.UseSetting("IntentVision:Limits:IngestPointsPerMinutePerOrganization", "0");
        });
        factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();
        using var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        (await admin.PostAsJsonAsync("/api/organizations", new { id = "bench", name = "Benchmark" })).EnsureSuccessStatusCode();
        admin.DefaultRequestHeaders.Add("X-IntentVision-Organization", "bench");
        var key = (await (await admin.PostAsJsonAsync("/api/keys", new { name = "bench", scopes = new[] { "admin" } })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        // The load's clients: plain HttpClients over loopback. The factory's default client adds a redirect handler that
        // copies every request body (about 110 KB a batch) before sending it, and a cookie handler: work of the load
        // generator, not of the API, beside sqld on the host's two cores. The copies were 6 % of this process's perf
        // samples; without them and their garbage its CPU per point fell by about a fifth (see README).
        var direct = new WebApplicationFactoryClientOptions { BaseAddress = factory.ClientOptions.BaseAddress, AllowAutoRedirect = false, HandleCookies = false };
        return (factory, () =>
        {
            var c = factory.CreateClient(direct);
            c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return c;
        });
    }

    /// <summary>
    /// What anomaly detection costs ingestion: two APIs on two files, detection on and off, the same load (4 clients, 1,000-point
    /// batches; new series each round, then appends to the same series) alternating round by round; the ratio is the median
    /// of the per-round ratios.
    /// </summary>
    private static async Task CompareDetectionAsync(string directory, int clients, int batches, int rounds)
    {
        var onDb = "file:" + Path.Combine(directory, "detection-on.db");
        var offDb = "file:" + Path.Combine(directory, "detection-off.db");
        await Migrate(onDb);
        await Migrate(offDb);
        var (onFactory, onClient) = await StartApiAsync(onDb, detection: true);
        var (offFactory, offClient) = await StartApiAsync(offDb, detection: false);
        await using var disposeOn = onFactory;
        await using var disposeOff = offFactory;
        var t0 = DateTimeOffset.UtcNow.AddDays(-20);

        // Besides points/s, the process's CPU time per point: on a shared host other processes' load moves the rates a lot
        // and the CPU cost of a point much less (the clients, in this process, cost the same in both).
        var process = Process.GetCurrentProcess();
        var cpu = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };

        // Collections during each side's timed windows (both APIs share this process's heap, so a window also pays for the
        // other side's garbage: the order of the sides alternates for that reason).
        var collections = new Dictionary<bool, (int Gen0, int Gen2)> { [true] = (0, 0), [false] = (0, 0) };

        // Points of the load's series from the offset-th load on (a series appended to again continues its timeline).
        async Task<double> Load(Func<HttpClient> client, string prefix, int offset = 0)
        {
            var bodies = Enumerable.Range(0, clients).Select(c => Enumerable.Range(0, batches).Select(b => Batch($"{prefix}.c{c}", t0, ((offset * batches) + b) * BatchSize, BatchSize)).ToArray()).ToArray();
            Settle();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var (gen0, gen2) = (GC.CollectionCount(0), GC.CollectionCount(2));
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
            {
                using var http = client();
                foreach (var body in bodies[c])
                {
                    await Post(http, body);
                }
            }));
            var rate = clients * batches * BatchSize / sw.Elapsed.TotalSeconds;
            process.Refresh();
            var side = client == onClient;
            cpu[side].Add((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / (clients * batches * BatchSize));
            collections[side] = (collections[side].Gen0 + GC.CollectionCount(0) - gen0, collections[side].Gen2 + GC.CollectionCount(2) - gen2);
            return rate;
        }

        // Warm-up, not measured: for seconds after start tiered JIT recompiles hot methods optimised in the background,
        // and measured at once the rounds ran QuickJitted and instrumented code (detection's cost then read 4.3 us a point;
        // 1.75 with every method optimised from its first call). Both sides alternately, for at least WarmUp.
        var warming = Stopwatch.StartNew();
        for (var w = 0; w < 2 || warming.Elapsed < WarmUp; w++)
        {
            await Load(onClient, $"warm{w}");
            await Load(offClient, $"warm{w}");
        }

        // Two workloads: each round to new series (every detector starts cold and learns its first 40,000 points), and each
        // round appending to the same series again (their detectors in memory, past their first load: the steady state of
        // a metrics spine, where series live long and new ones are rare). Each side's steady series get one unmeasured load.
        await Load(onClient, "steady");
        await Load(offClient, "steady");
        foreach (var steady in new[] { false, true })
        {
            var name = steady ? "appends to the same series" : "new series each round";
            cpu[true].Clear();
            cpu[false].Clear();
            collections[true] = collections[false] = (0, 0);
            var ratios = new List<double>();
            var onRates = new List<double>();
            var offRates = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                // Alternate which goes first, so neither always meets the machine after the other's garbage.
                var (first, second) = round % 2 == 0 ? (onClient, offClient) : (offClient, onClient);
                var (prefix, offset) = steady ? ("steady", round + 1) : ($"r{round}", 0);
                var a = await Load(first, prefix, offset);
                var b = await Load(second, prefix, offset);
                var (on, off) = round % 2 == 0 ? (a, b) : (b, a);
                onRates.Add(on);
                offRates.Add(off);
                ratios.Add(on / off);
                Console.WriteLine($"[detection] {name}, round {round + 1}: on {on,10:N0} points/s   off {off,10:N0} points/s   ratio {on / off:P0}");
            }

            Console.WriteLine($"[detection] {name}: ingest with detection on {Percentile(onRates, 0.5):N0} points/s, off {Percentile(offRates, 0.5):N0} points/s (medians, {clients} clients x {batches} batches x {BatchSize}, file)");
            Console.WriteLine($"[detection] {name}: ratio on/off {Percentile(ratios, 0.5):P0} (median of rounds; min {ratios.Min():P0}, max {ratios.Max():P0})  goal >= 90%");
            var (cpuOn, cpuOff) = (Percentile(cpu[true], 0.5), Percentile(cpu[false], 0.5));
            Console.WriteLine($"[detection] {name}: CPU per point (whole process, clients included): on {cpuOn:F2} us, off {cpuOff:F2} us; detection adds {cpuOn - cpuOff:F2} us; off/on {cpuOff / cpuOn:P0} (the points/s ratio where CPU is the limit)");
            Console.WriteLine($"[detection] {name}: collections in the timed windows, {rounds} rounds: on gen0 {collections[true].Gen0} gen2 {collections[true].Gen2}, off gen0 {collections[false].Gen0} gen2 {collections[false].Gen2}");
        }
    }

    /// <param name="serverProcess">sqld's process id: each round then prints the server's CPU time per 1,000 points in the
    /// API's window and in the raw reference's, which tells work the server does for the API's requests from time the API
    /// adds.</param>
    private static async Task RunSuiteAsync(string label, string connectionString, Func<int, Task<double>> rawInsert, int clients, int batches, int rounds, bool detection, int? serverProcess)
    {
        var (factory, Client) = await StartApiAsync(connectionString, detection);
        await using var disposeFactory = factory;
        Console.WriteLine($"[{label}] API (Kestrel, real HTTP), database {(label == "file" ? connectionString : "sqld (Hrana over HTTP)")}, detection {(detection ? "on" : "off")}");

        var t0 = DateTimeOffset.UtcNow.AddDays(-20);

        // Warm-up, not measured: whole rounds on each side (as many clients, batches and points as a measured round) for
        // at least WarmUp, so that tiered JIT (which recompiles hot methods optimised in the background for seconds
        // after start), connection pools and statement caches have settled before the first measured round.
        var warming = Stopwatch.StartNew();
        for (var w = 0; w < 1 || warming.Elapsed < WarmUp; w++)
        {
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
            {
                using var warm = Client();
                for (var i = 0; i < batches; i++)
                {
                    await Post(warm, Batch($"warmup{w}.c{c}", t0, i * BatchSize, BatchSize));
                }
            }));
            await rawInsert(clients * batches * BatchSize);
        }

        // 1. Concurrent ingest through the API (each client its own series, 1,000-point batches), alternating with
        //    the raw reference inserting the same number of points.
        var apiRates = new List<double>();
        var rawRates = new List<double>();
        var ratios = new List<double>();
        // Every round's bodies (about 100 KB each, on the large object heap) are made before the first round: made just
        // before each round, they set off a background gen2 collection that ran during the API's timed window.
        var roundBodies = Enumerable.Range(0, rounds).Select(round => Enumerable.Range(0, clients).Select(c => Enumerable.Range(0, batches).Select(b => Batch($"load.r{round}.c{c}", t0, b * BatchSize, BatchSize)).ToArray()).ToArray()).ToArray();
        using var groupSizes = new WriteGroupSizes();
        for (var round = 0; round < rounds; round++)
        {
            var bodies = roundBodies[round];
            roundBodies[round] = [];
            Settle();
            groupSizes.Take();
            var (gen0, gen2, allocated) = (GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(precise: true));
            var serverCpu = ServerCpuSeconds(serverProcess);
            var ownCpu = Environment.CpuUsage.TotalTime;
            var serverWait = RunQueueSeconds(serverProcess);
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
            var apiServerCpu = ServerCpuSeconds(serverProcess) - serverCpu;
            var apiOwnCpu = (Environment.CpuUsage.TotalTime - ownCpu).TotalSeconds;
            var apiServerWait = RunQueueSeconds(serverProcess) - serverWait;

            // What the API's window cost the collector (clients included): unlike the rates, the host's load does not move it.
            var (groups, unitsPerGroup, writerMs) = groupSizes.Take();
            var garbage = $"{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / (clients * batches):F0} KiB allocated per batch, GCs gen0 {GC.CollectionCount(0) - gen0} gen2 {GC.CollectionCount(2) - gen2}, {groups} write groups of {unitsPerGroup:F2} units, writer {writerMs:F2} ms a unit";
            Settle();
            serverCpu = ServerCpuSeconds(serverProcess);
            ownCpu = Environment.CpuUsage.TotalTime;
            serverWait = RunQueueSeconds(serverProcess);
            var rawRate = await rawInsert(clients * batches * BatchSize);
            var rawServerWait = RunQueueSeconds(serverProcess) - serverWait;
            var rawServerCpu = ServerCpuSeconds(serverProcess) - serverCpu;
            var rawOwnCpu = (Environment.CpuUsage.TotalTime - ownCpu).TotalSeconds;
            if (serverProcess is not null)
            {
                var thousands = clients * batches * BatchSize / 1000.0;
                // This process (the API and the clients; the raw reference's client) beside sqld: both share the host's cores.
                // The raw side's CPU spans its whole call, the making of its JSON batches before its clock starts included.
                garbage += $"; CPU per 1,000 points, sqld: api {apiServerCpu * 1000 / thousands:F2} ms, raw {rawServerCpu * 1000 / thousands:F2} ms; this process: api {apiOwnCpu * 1000 / thousands:F2} ms, raw {rawOwnCpu * 1000 / thousands:F2} ms; sqld's threads runnable but waiting for a CPU: api {apiServerWait * 1000 / thousands:F2} ms, raw {rawServerWait * 1000 / thousands:F2} ms";
            }

            apiRates.Add(apiRate);
            rawRates.Add(rawRate);
            ratios.Add(apiRate / rawRate);
            Console.WriteLine($"[{label}] round {round + 1}: api {apiRate,10:N0} points/s   raw {rawRate,10:N0} points/s   ratio {apiRate / rawRate:P0}   (api: {garbage})");
        }

        var apiMedian = Percentile(apiRates, 0.5);
        Console.WriteLine($"[{label}] ingest  api {apiMedian,10:N0} points/s median (best {apiRates.Max():N0}) ({clients} clients x {batches} batches x {BatchSize})");
        Console.WriteLine($"[{label}] ingest  raw {Percentile(rawRates, 0.5),10:N0} points/s median (best {rawRates.Max():N0}) ({(label == "file" ? "Microsoft.Data.Sqlite prepared upsert per row, 1,000-row transactions" : "one json_each upsert statement per 1,000-row batch")}, same schema)");
        Console.WriteLine($"[{label}] ingest  ratio api/raw {Percentile(ratios, 0.5):P0} (median of rounds)  goal {(label == "file" ? ">= 80%" : ">= 100,000 points/s and >= 70%")}");

        // 2. Latency of a 100-point batch while background clients run at about half the peak rate.
        var target = apiMedian / 2;
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
        var achieved = Stopwatch.StartNew();
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
        Console.WriteLine($"[{label}] latency 100-point batch at ~{target:N0} points/s background: p50 {Percentile(latencies, 0.50):F2} ms, p99 {Percentile(latencies, 0.99):F2} ms");

        // 3. Read: one week of one-minute points, bucketed to ~500 points.
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

        // As the dashboard's chart asks: the week named by from and to.
        var week = $"from={Uri.EscapeDataString(weekStart.ToString("O"))}&to={Uri.EscapeDataString(weekStart.AddDays(7).ToString("O"))}";
        foreach (var query in new[] { "step=20m&agg=avg", "maxPoints=500" })
        {
            var times = new List<double>();
            var count = 0;
            for (var i = 0; i < 220; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var result = await reader.GetFromJsonAsync<JsonElement>($"/api/series/{seriesId}/points?{query}&{week}");
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                count = result.GetProperty("points").GetArrayLength();
                if (i >= 20)
                {
                    times.Add(elapsed);
                }
            }

            Console.WriteLine($"[{label}] read    10,080 points -> {count} ({query}): p50 {Percentile(times, 0.50):F2} ms, p99 {Percentile(times, 0.99):F2} ms  goal p50 < 20 ms");
        }
    }

    /// <summary>
    /// A full blocking collection before a timed window, as BenchmarkDotNet does between iterations: the garbage of what
    /// ran before (the other side, or the bodies just made) is not collected on the clock of the side measured next.
    /// </summary>
    private static void Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    private static byte[] Batch(string metric, DateTimeOffset start, int offset, int count) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        points = Enumerable.Range(offset, count).Select(i => new { metric, timestamp = start.AddSeconds(i), value = i % 97 * 1.5, dimensions = new { host = metric } }),
    });

    private static async Task<JsonElement> Post(HttpClient http, byte[] body)
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

    private static async Task Migrate(string url)
    {
        await using var dataSource = LibSqlDataSource.Create(url);
        await new MigrationRunner(dataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System).RunAsync();
    }

    /// <summary>A process's CPU time so far (user and system, from /proc), in seconds; 0 without a process or on another OS.</summary>
    private static double ServerCpuSeconds(int? process)
    {
        if (process is not { } id || !File.Exists($"/proc/{id}/stat"))
        {
            return 0;
        }

        // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>
    /// How long a process's threads have waited, runnable, for a CPU so far (the second field of each thread's
    /// <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat</c>, in nanoseconds), in seconds; threads that ended are not counted.
    /// </summary>
    private static double RunQueueSeconds(int? process)
    {
        if (process is not { } id || !Directory.Exists($"/proc/{id}/task"))
        {
            return 0;
        }

        long total = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{id}/task"))
        {
            try
            {
                total += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return total / 1e9;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>The floor on the file: one connection, prepared single-row upserts, 1,000-row transactions, a new series per call.</summary>
    private sealed class SqliteRaw : IDisposable
    {
        private readonly SqliteConnection _connection;
        private long _series;

        public SqliteRaw(string path)
        {
            _connection = new SqliteConnection($"Data Source={path};Foreign Keys=True");
            _connection.Open();
            using var pragma = _connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; INSERT INTO organizations (id, name, created_at) VALUES ('raw', 'Raw', '2026-01-01T00:00:00Z');";
            pragma.ExecuteNonQuery();
        }

        public Task<double> Insert(int total)
        {
            var series = ++_series;
            using (var create = _connection.CreateCommand())
            {
                create.CommandText = $"INSERT INTO time_series (id, organization_id, metric_key, dimensions, created_at, updated_at) VALUES ({series}, 'raw', 'raw', '{{\"host\":\"raw{series}\"}}', 'x', 'x')";
                create.ExecuteNonQuery();
            }

            var sw = Stopwatch.StartNew();
            for (var done = 0; done < total; done += BatchSize)
            {
                using var tx = _connection.BeginTransaction();
                using var insert = _connection.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = $"INSERT INTO metrics (series_id, ts, value) VALUES ({series}, $ts, $v) ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value";
                var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
                var v = insert.Parameters.Add("$v", SqliteType.Real);
                insert.Prepare();
                for (var i = 0; i < BatchSize; i++)
                {
                    ts.Value = 1_700_000_000_000L + ((done + i) * 1000L);
                    v.Value = (done + i) % 97 * 1.5;
                    insert.ExecuteNonQuery();
                }

                tx.Commit();
            }

            return Task.FromResult(total / sw.Elapsed.TotalSeconds);
        }

        public void Dispose() => _connection.Dispose();
    }

    /// <summary>
    /// The floor on sqld: one connection, one statement per 1,000-row batch whose only parameter is the batch as a JSON
    /// array of [ts, value] pairs, unpacked by the server's <c>json_each</c> (the fastest shape measured against sqld: one
    /// round trip, no per-row parameters to decode), committed per batch.
    /// </summary>
    private sealed class SqldRaw(LibSqlDataSource dataSource)
    {
        private long _series;

        public async Task InitializeAsync()
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO organizations (id, name, created_at) VALUES ('raw', 'Raw', '2026-01-01T00:00:00Z')";
            await command.ExecuteNonQueryAsync();
        }

        public async Task<double> Insert(int total)
        {
            var name = ++_series;
            await using var connection = await dataSource.OpenConnectionAsync();
            long series;
            await using (var create = connection.CreateCommand())
            {
                // The API shares this database: let SQLite pick the id.
                create.CommandText = $"INSERT INTO time_series (organization_id, metric_key, dimensions, created_at, updated_at) VALUES ('raw', 'raw', '{{\"host\":\"raw{name}\"}}', 'x', 'x') RETURNING id";
                series = Convert.ToInt64(await create.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            }

            // The batches are made before the clock starts, as the API's clients make their bodies before each round: what
            // is timed is sending and storing them.
            var batches = new List<string>(total / BatchSize);
            for (var done = 0; done < total; done += BatchSize)
            {
                var json = new StringBuilder("[");
                for (var i = 0; i < BatchSize; i++)
                {
                    var n = done + i;
                    json.Append(i == 0 ? "[" : ",[").Append(CultureInfo.InvariantCulture, $"{1_700_000_000_000L + (n * 1000L)},{(n % 97 * 1.5).ToString("R", CultureInfo.InvariantCulture)}]");
                }

                batches.Add(json.Append(']').ToString());
            }

            var sw = Stopwatch.StartNew();
            foreach (var points in batches)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO metrics (series_id, ts, value) SELECT @series, value ->> 0, value ->> 1 FROM json_each(@points) WHERE true ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value";
                Add(insert, "@series", series);
                Add(insert, "@points", points);
                await insert.ExecuteNonQueryAsync();
            }

            return total / sw.Elapsed.TotalSeconds;

            static void Add(System.Data.Common.DbCommand command, string name, object value)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = value;
                command.Parameters.Add(p);
            }
        }
    }
}
