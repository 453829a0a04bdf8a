using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Series;
using IntentVision.Api.Detection;
using IntentVision.Data.Metrics;
using IntentVision.Data.Writing;
using IntentVision.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace IntentVision.Api.Tests;

/// <summary>
/// Anomaly detection through the real API on a real database (file and sqld): points are streamed to POST /api/metrics in
/// batches of 12 to 100 and anomalies read back from GET /api/anomalies, as a collector and an analyst would.
/// </summary>
public abstract class DetectionTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    /// <summary>Fourteen days before the test window's anchor: 4,000 five-minute points end before it.</summary>
    private static readonly DateTimeOffset Start = TestData.T0.AddDays(-14);

    /// <summary>
    /// Five-minute data with a daily cycle and seeded noise; <paramref name="extra"/> adds the events of a test.
    /// The same generator as the analytics' monitor tests, so the API can be compared with the library directly.
    /// </summary>
    private static TimedValue[] Series(int count, Func<int, double> extra) => Enumerable.Range(0, count)
        .Select(i => new TimedValue(Start.AddMinutes(5 * i), 100 + (20 * Math.Sin(2 * Math.PI * i / 288.0)) + (3 * Gaussian(new Random(i * 7919))) + extra(i)))
        .ToArray();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static IEnumerable<TimedValue[]> Batches(IReadOnlyList<TimedValue> points, int seed = 1)
    {
        var random = new Random(seed);
        for (var start = 0; start < points.Count;)
        {
            var size = random.Next(12, 101);
            yield return points.Skip(start).Take(size).ToArray();
            start += size;
        }
    }

    private static async Task<long> StreamAsync(HttpClient client, string metric, IEnumerable<TimedValue[]> batches)
    {
        long id = 0;
        foreach (var batch in batches)
        {
            var response = await client.PostAsJsonAsync("/api/metrics", new { points = batch.Select(p => new { metric, timestamp = p.Timestamp, value = p.Value }) });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            id = (await response.Json()).GetProperty("seriesIds")[0].GetInt64();
        }

        return id;
    }

    private static List<MetricPoint> MetricPoints(string metric, IEnumerable<TimedValue> points) =>
        points.Select(p => new MetricPoint(metric, p.Timestamp, p.Value)).ToList();

    private static async Task<List<JsonElement>> AnomaliesAsync(HttpClient client, long seriesId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/anomalies?seriesId={seriesId}&limit=5000")).EnumerateArray().OrderBy(a => a.GetProperty("timestamp").GetDateTimeOffset()).ToList();

    /// <summary>What a monitor fed the same batches keeps, revisions applied: the rows the API should hold.</summary>
    private static List<DetectedAnomaly> WhatTheMonitorStores(IEnumerable<TimedValue[]> batches, Func<SeriesAnomalyMonitor, int, IReadOnlyList<AnomalyPattern>>? feedback = null)
    {
        var monitor = new SeriesAnomalyMonitor();
        var stored = new Dictionary<DateTimeOffset, DetectedAnomaly>();
        var index = 0;
        foreach (var batch in batches)
        {
            if (feedback is not null)
            {
                monitor.Feedback = feedback(monitor, index++);
            }

            foreach (var anomaly in monitor.Observe(batch).Anomalies)
            {
                stored[anomaly.Timestamp] = anomaly;
            }
        }

        return [.. stored.Values.OrderBy(a => a.Timestamp)];
    }

    private static void AssertSame(IReadOnlyList<DetectedAnomaly> expected, IReadOnlyList<JsonElement> actual)
    {
        Assert.Equal(
            expected.Select(a => (a.Timestamp, a.Score, a.Value, Type: a.Type switch { AnomalyType.LevelShift => "level_shift", AnomalyType.TrendChange => "trend_change", _ => "point" })),
            actual.Select(a => (a.GetProperty("timestamp").GetDateTimeOffset(), a.GetProperty("score").GetDouble(), a.GetProperty("value").GetDouble(), a.GetProperty("type").GetString()!)));
    }

    [Fact]
    public async Task TheApiStoresExactlyWhatTheMonitorStores()
    {
        // Spikes, then a level shift: the one detection path, whether fed by HTTP and the ingest writer or directly.
        var points = Series(4000, i => (i is 900 or 1700 or 2600 ? 60 : 0) + (i >= 3200 ? 45 : 0));
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await StreamAsync(tenant.Client, "same.path", Batches(points));
        var expected = WhatTheMonitorStores(Batches(points));
        Assert.Contains(expected, a => a.Timestamp == points[900].Timestamp);
        AssertSame(expected, await AnomaliesAsync(tenant.Client, id));
    }

    [Fact]
    public async Task ALevelShiftThreeDaysInIsStoredOnceWithItsTypeAndExplanation()
    {
        // Three and a half days of five-minute data: the daily cycle is established (three cycles seen) when it shifts.
        var shiftAt = (3 * 288) + 144;
        var points = Series(1400, i => i >= shiftAt ? 60 : 0);
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await StreamAsync(tenant.Client, "queue.depth", Batches(points));
        var anomalies = await AnomaliesAsync(tenant.Client, id);

        var incidentEnd = points[shiftAt].Timestamp.AddMinutes(5 * MonitorSettings.Default.IncidentLength);
        var shift = Assert.Single(anomalies, a => a.GetProperty("timestamp").GetDateTimeOffset() >= points[shiftAt].Timestamp && a.GetProperty("timestamp").GetDateTimeOffset() < incidentEnd);
        Assert.Equal(points[shiftAt].Timestamp, shift.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("level_shift", shift.GetProperty("type").GetString());
        Assert.Contains(shift.GetProperty("severity").GetString(), new[] { "high", "critical" });
        var e = shift.GetProperty("explanation");
        Assert.Equal("level_shift", e.GetProperty("type").GetString());
        Assert.Equal("contextual-v2", e.GetProperty("detector").GetString());
        Assert.Equal(86_400, e.GetProperty("seasonalPeriodSeconds").GetInt64());
        var (expected, lower, upper, deviation) = (e.GetProperty("expected").GetDouble(), e.GetProperty("lower").GetDouble(), e.GetProperty("upper").GetDouble(), e.GetProperty("deviation").GetDouble());
        Assert.True(lower < expected && expected < upper, e.ToString());
        Assert.InRange(expected, points[shiftAt].Value - 60 - 15, points[shiftAt].Value - 60 + 15);
        Assert.True(shift.GetProperty("value").GetDouble() > upper);
        Assert.True(deviation > 6, e.ToString());
        Assert.Equal(shift.GetProperty("expected").GetDouble(), expected);
        Assert.StartsWith("Level shift up:", e.GetProperty("summary").GetString());
        Assert.Contains("daily seasonality", e.GetProperty("summary").GetString());
        Assert.Equal(JsonValueKind.Null, shift.GetProperty("feedback").ValueKind);

        // Before the shift nothing was worth more than a low-severity look.
        Assert.All(anomalies.Where(a => a.GetProperty("timestamp").GetDateTimeOffset() < points[shiftAt].Timestamp), a => Assert.Equal("low", a.GetProperty("severity").GetString()));
    }

    [Fact]
    public async Task NothingIsStoredDuringTheWarmUp()
    {
        // A first batch of 150 points: a spike at point 50 is inside the warm-up, a larger one at 120 is not.
        var points = Enumerable.Range(0, 150).Select(i => new TimedValue(Start.AddMinutes(i), 10 + (i % 5) + (i == 50 ? 500 : i == 120 ? 2000 : 0))).ToArray();
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await StreamAsync(tenant.Client, "warm.up", [points]);
        var anomaly = Assert.Single(await AnomaliesAsync(tenant.Client, id));
        Assert.Equal(points[120].Timestamp, anomaly.GetProperty("timestamp").GetDateTimeOffset());
        Assert.True(MonitorSettings.Default.WarmUpPoints is > 50 and < 120);
    }

    [Fact]
    public async Task LateAndDuplicatePointsAreStoredButNotScored()
    {
        var points = Series(400, _ => 0);
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await StreamAsync(tenant.Client, "late.points", Batches(points[..300]));

        // A late point at a new timestamp, a duplicate of an old one and of the newest scored one, and a repeat within
        // the batch, all with values that would be anomalies if scored. Accepted; values replaced; nothing scored.
        var late = new[]
        {
            new { metric = "late.points", timestamp = points[10].Timestamp.AddMinutes(2), value = 1e6 },
            new { metric = "late.points", timestamp = points[20].Timestamp, value = 1e6 },
            new { metric = "late.points", timestamp = points[299].Timestamp, value = 5e5 },
            new { metric = "late.points", timestamp = points[299].Timestamp, value = 1e6 },
        };
        var response = await tenant.Client.PostAsJsonAsync("/api/metrics", new { points = late });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal((1, 3), (body.GetProperty("inserted").GetInt32(), body.GetProperty("updated").GetInt32()));
        var stored = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{id}/points?from={Uri.EscapeDataString(points[299].Timestamp.ToString("O"))}");
        Assert.Equal(1e6, stored.GetProperty("points")[0].GetProperty("value").GetDouble());
        var lateTimestamps = late.Select(p => p.timestamp).ToHashSet();
        Assert.DoesNotContain(await AnomaliesAsync(tenant.Client, id), a => lateTimestamps.Contains(a.GetProperty("timestamp").GetDateTimeOffset()));

        // Scoring goes on from where it was: a spike among the next points is stored, as the monitor (which never saw
        // the late points) stores it.
        var rest = points[300..];
        rest[50] = rest[50] with { Value = rest[50].Value + 200 };
        await StreamAsync(tenant.Client, "late.points", Batches(rest, seed: 2));
        var all = await AnomaliesAsync(tenant.Client, id);
        Assert.True(all.Any(a => a.GetProperty("timestamp").GetDateTimeOffset() == rest[50].Timestamp), string.Join("\n", all));
        AssertSame(WhatTheMonitorStores(Batches(points[..300]).Concat(Batches(rest, seed: 2))), await AnomaliesAsync(tenant.Client, id));
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        Assert.Equal(400, await connection.ExecuteScalarAsync<long>("SELECT scored_points FROM detector_state WHERE series_id = @id", new { id }));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DetectionStateSurvivesARestartOfTheApi(bool lostSnapshot)
    {
        // Half of the series through one API host, the rest through a new host on the same database. With the snapshot
        // saved at shutdown the state is restored; without it (a crash) it is rebuilt from the stored points. Either way
        // nothing fires twice, nothing re-warms, and the anomalies are those of one uninterrupted monitor.
        var points = Series(3000, i => (i is 900 or 1700 or 1520 ? 60 : 0) + (i is 1510 ? -70 : 0));
        var batches = Batches(points).ToList();
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var half = batches.Count / 2;
        long id;
        await using (var first = factory.AnotherHost())
        {
            using var client = first.CreateClient();
            client.DefaultRequestHeaders.Authorization = tenant.Client.DefaultRequestHeaders.Authorization;
            id = await StreamAsync(client, "restart", batches.Take(half));
            await StopAsAServiceManagerWouldAsync(first);
        }

        var before = await AnomaliesAsync(tenant.Client, id);
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        var saved = await connection.ExecuteScalarAsync<byte[]?>("SELECT snapshot FROM detector_snapshots WHERE series_id = @id", new { id });
        Assert.True(saved is not null, string.Join("\n", factory.Logs.Where(l => l.Contains("Detection", StringComparison.Ordinal))));
        if (lostSnapshot)
        {
            await connection.ExecuteAsync("DELETE FROM detector_snapshots WHERE series_id = @id", new { id });
        }

        await using (var second = factory.AnotherHost())
        {
            using var client = second.CreateClient();
            client.DefaultRequestHeaders.Authorization = tenant.Client.DefaultRequestHeaders.Authorization;
            await StreamAsync(client, "restart", batches.Skip(half));
        }

        var after = await AnomaliesAsync(tenant.Client, id);
        Assert.Equal(before.Select(a => a.GetProperty("id").GetInt64()), after.Take(before.Count).Select(a => a.GetProperty("id").GetInt64()));
        Assert.Contains(after, a => a.GetProperty("timestamp").GetDateTimeOffset() == points[1700].Timestamp);
        AssertSame(WhatTheMonitorStores(batches), after);
    }

    [Fact]
    public async Task AStoredHistoryNeverScoredWarmsTheDetectorFromItsLatestPoints()
    {
        // 1,500 points stored while detection was off (as a restore or a bulk load leaves them), then the rest through
        // a host with detection on: the first write replays the latest WarmStartPoints stored points silently, so the
        // series starts warm (nothing stored for the history, no warm-up) and stores what a monitor warmed on exactly
        // those points stores.
        const int WarmStart = 600;
        var points = Series(2400, i => (i is 1700 or 2100 ? 60 : 0) + (i >= 2250 ? 45 : 0));
        var (history, rest) = (points[..1500], points[1500..]);
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        long id;
        await using (var off = factory.AnotherHost(b => b.UseSetting("IntentVision:Jobs:Detection:Enabled", "false")))
        {
            using var client = off.CreateClient();
            client.DefaultRequestHeaders.Authorization = tenant.Client.DefaultRequestHeaders.Authorization;
            id = await StreamAsync(client, "bulk.loaded", Batches(history));
        }

        Assert.Empty(await AnomaliesAsync(tenant.Client, id));
        await using (var on = factory.AnotherHost(b => b.UseSetting("IntentVision:Jobs:Detection:WarmStartPoints", $"{WarmStart}")))
        {
            using var client = on.CreateClient();
            client.DefaultRequestHeaders.Authorization = tenant.Client.DefaultRequestHeaders.Authorization;
            await StreamAsync(client, "bulk.loaded", Batches(rest, seed: 2));
        }

        List<DetectedAnomaly> WarmedOn(int count)
        {
            var monitor = new SeriesAnomalyMonitor();
            monitor.Replay(history[^count..]);
            var stored = new Dictionary<DateTimeOffset, DetectedAnomaly>();
            foreach (var anomaly in Batches(rest, seed: 2).SelectMany(b => monitor.Observe(b).Anomalies))
            {
                stored[anomaly.Timestamp] = anomaly;
            }

            return [.. stored.Values.OrderBy(a => a.Timestamp)];
        }

        var expected = WarmedOn(WarmStart);
        Assert.Contains(expected, a => a.Timestamp == points[1700].Timestamp);
        var actual = await AnomaliesAsync(tenant.Client, id);
        AssertSame(expected, actual);

        // The replay length shows: a detector warmed on all 1,500 points stores something else here.
        Assert.NotEqual(WarmedOn(history.Length).Select(a => (a.Timestamp, a.Score)), expected.Select(a => (a.Timestamp, a.Score)));
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        Assert.Equal(rest.Length, await connection.ExecuteScalarAsync<long>("SELECT scored_points - @WarmStart FROM detector_state WHERE series_id = @id", new { id, WarmStart }));
    }

    [Fact]
    public async Task StatesEvictedFromMemoryAreSavedAndComeBackWithTheirFeedback()
    {
        // One state in memory at a time: two series written in turn evict each other at every batch, so every batch
        // restores the other's snapshot (saved on eviction, in the writer's transaction). Analyst feedback on one series
        // must survive that too.
        await using var host = factory.AnotherHost(b => b.UseSetting("IntentVision:Jobs:Detection:MaxSeriesInMemory", "1"));
        using var client = host.CreateClient();
        var tenant = await factory.NewTenant("ingest:write", "metrics:read", "alerts:write");
        client.DefaultRequestHeaders.Authorization = tenant.Client.DefaultRequestHeaders.Authorization;
        var a = Series(3000, i => i is 900 or 1700 or 2600 ? 60 : 0);
        var b = Series(3000, i => i >= 2000 ? 45 : 0);
        var (batchesA, batchesB) = (Batches(a, seed: 7).ToList(), Batches(b, seed: 8).ToList());
        long idA = 0, idB = 0;
        long? marked = null;
        for (var i = 0; i < Math.Max(batchesA.Count, batchesB.Count); i++)
        {
            if (i < batchesA.Count)
            {
                idA = await StreamAsync(client, "evicted.a", [batchesA[i]]);
            }

            if (i < batchesB.Count)
            {
                idB = await StreamAsync(client, "evicted.b", [batchesB[i]]);
            }

            if (marked is null && batchesA.Take(i + 1).Sum(x => x.Length) > 1000)
            {
                var spike = Assert.Single(await AnomaliesAsync(client, idA), x => x.GetProperty("timestamp").GetDateTimeOffset() == a[900].Timestamp);
                marked = spike.GetProperty("id").GetInt64();
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/anomalies/{marked}/feedback", new { verdict = "not_anomaly" })).StatusCode);
            }
        }

        AssertSame(WhatTheMonitorStores(batchesB), await AnomaliesAsync(client, idB));
        var storedA = await AnomaliesAsync(client, idA);
        Assert.DoesNotContain(storedA, x => x.GetProperty("timestamp").GetDateTimeOffset() == a[1700].Timestamp || x.GetProperty("timestamp").GetDateTimeOffset() == a[2600].Timestamp);
        var firstPart = batchesA.TakeWhile((_, i) => batchesA.Take(i).Sum(x => x.Length) <= 1000).Count();
        var rule = AnomalyPattern.Of(a[900].Value, WhatTheMonitorStores(batchesA).Single(x => x.Timestamp == a[900].Timestamp).Explanation);
        AssertSame(WhatTheMonitorStores(batchesA, (_, i) => i >= firstPart ? [rule] : []), storedA);
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM detector_snapshots WHERE series_id IN (@idA, @idB)", new { idA, idB }));
    }

    /// <summary>
    /// SIGTERM's path: the application is asked to stop and the host runs its shutdown (the detector state is saved
    /// there) before anything is disposed. (Disposing the test host alone would dispose services while it still stops.)
    /// </summary>
    private static async Task StopAsAServiceManagerWouldAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host)
    {
        var lifetime = host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());
        lifetime.StopApplication();
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task FeedbackStopsARepeatFromBeingStoredUntilItIsWithdrawn()
    {
        // Equal spikes at 900, 1700 and 2600. Marked "not an anomaly" after the first, the second is not stored; the
        // verdict withdrawn, the third is.
        var points = Series(3000, i => i is 900 or 1700 or 2600 ? 60 : 0);
        var batches = Batches(points).ToList();
        var tenant = await factory.NewTenant("ingest:write", "metrics:read", "alerts:write");
        var firstPart = batches.TakeWhile(b => b[0].Timestamp <= points[1000].Timestamp).ToList();
        var secondPart = batches.Skip(firstPart.Count).TakeWhile(b => b[0].Timestamp <= points[2000].Timestamp).ToList();
        var thirdPart = batches.Skip(firstPart.Count + secondPart.Count).ToList();

        var id = await StreamAsync(tenant.Client, "repeats", firstPart);
        var spike = Assert.Single(await AnomaliesAsync(tenant.Client, id), a => a.GetProperty("timestamp").GetDateTimeOffset() == points[900].Timestamp);
        var anomalyId = spike.GetProperty("id").GetInt64();
        var marked = await tenant.Client.PostAsJsonAsync($"/api/anomalies/{anomalyId}/feedback", new { verdict = "not_anomaly", comment = "deploy window" });
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        var feedback = (await marked.Json()).GetProperty("feedback");
        Assert.Equal("not_anomaly", feedback.GetProperty("verdict").GetString());
        Assert.Equal("deploy window", feedback.GetProperty("comment").GetString());
        Assert.StartsWith("key:", feedback.GetProperty("by").GetString());
        Assert.InRange(feedback.GetProperty("at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        await StreamAsync(tenant.Client, "repeats", secondPart);
        Assert.DoesNotContain(await AnomaliesAsync(tenant.Client, id), a => a.GetProperty("timestamp").GetDateTimeOffset() == points[1700].Timestamp);

        var withdrawn = await tenant.Client.DeleteAsync($"/api/anomalies/{anomalyId}/feedback");
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await withdrawn.Json()).GetProperty("feedback").ValueKind);
        await StreamAsync(tenant.Client, "repeats", thirdPart);
        var anomalies = await AnomaliesAsync(tenant.Client, id);
        Assert.Contains(anomalies, a => a.GetProperty("timestamp").GetDateTimeOffset() == points[2600].Timestamp);

        // Without feedback the same data stores all three; with it, exactly what the monitor does under the same verdicts.
        var plain = WhatTheMonitorStores(batches);
        Assert.Contains(plain, a => a.Timestamp == points[1700].Timestamp);
        var rule = AnomalyPattern.Of(spike.GetProperty("value").GetDouble(), plain.Single(a => a.Timestamp == points[900].Timestamp).Explanation);
        AssertSame(WhatTheMonitorStores(batches, (_, i) => i >= firstPart.Count && i < firstPart.Count + secondPart.Count ? [rule] : []), anomalies);
        Assert.Equal(JsonValueKind.Null, (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies/{anomalyId}")).GetProperty("feedback").ValueKind);
    }

    [Fact]
    public async Task ARolledBackGroupLeavesNoTraceInTheSeriesDetector()
    {
        // A real writer with the API's detection stage and, after it, a participant that fails the group once detection
        // has written: the group's points (with a spike) are scored and its anomaly written, then everything rolls back.
        // The series' detector must forget them: what follows is scored as if they never came.
        var points = Series(900, _ => 0);
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await StreamAsync(tenant.Client, "rolled.back", Batches(points[..600]));
        var spiked = points[600..700].Select((p, i) => i == 50 ? p with { Value = p.Value + 500 } : p).ToArray();
        var failing = new FailingAfterDetection(id);
        using (var writer = new DatabaseWriter(factory.DataSource, TimeProvider.System, participants: [factory.Service<DetectionStage>(), failing]))
        {
            await writer.StartAsync(CancellationToken.None);
            await Assert.ThrowsAsync<InvalidOperationException>(() => new IngestWriter(writer).IngestAsync(tenant.Id, MetricPoints("rolled.back", spiked)));
            await writer.StopAsync(CancellationToken.None);
        }

        Assert.Contains(spiked[50].Timestamp.ToUnixTimeMilliseconds(), failing.AnomaliesSeen);
        await StreamAsync(tenant.Client, "rolled.back", Batches(points[600..], seed: 3));
        AssertSame(WhatTheMonitorStores(Batches(points[..600]).Concat(Batches(points[600..], seed: 3))), await AnomaliesAsync(tenant.Client, id));
        await using var check = await factory.DataSource.OpenConnectionAsync();
        Assert.Equal(900, await check.ExecuteScalarAsync<long>("SELECT scored_points FROM detector_state WHERE series_id = @id", new { id }));
    }

    [Fact]
    public async Task PointsScoredEarlyButNotStoredAreForgotten()
    {
        // Two ingest units of one group of the API's writer carry points of a series held in memory (so they are scored
        // while the writer stores them); the second fails (a trigger refuses its last row) and rolls back to its
        // savepoint. Only the first unit's points may count.
        var points = Series(900, _ => 0);
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await StreamAsync(tenant.Client, "failed.call", Batches(points[..600]));
        var raised = points[650..700].Select(p => p with { Value = p.Value + 500 }).ToArray();
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync($"CREATE TRIGGER refuse_failed_call BEFORE INSERT ON metrics WHEN NEW.series_id = {id} AND NEW.ts = {raised[^1].Timestamp.ToUnixTimeMilliseconds()} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        try
        {
            // A unit holds the writer until both ingests are queued, so they share the next group.
            var writer = factory.Service<DatabaseWriter>();
            var ingest = factory.Service<IngestWriter>();
            var held = new HeldWriteUnit();
            var holding = writer.WriteAsync(held);
            await held.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var stored = ingest.IngestAsync(tenant.Id, MetricPoints("failed.call", points[600..650]));
            var failed = ingest.IngestAsync(tenant.Id, MetricPoints("failed.call", raised));
            held.Release.SetResult();
            await holding;
            Assert.Equal(50, (await stored).Inserted);
            Assert.Contains("refused by the test", (await Assert.ThrowsAnyAsync<Exception>(() => failed)).Message);
        }
        finally
        {
            await connection.ExecuteAsync("DROP TRIGGER refuse_failed_call");
        }

        await StreamAsync(tenant.Client, "failed.call", Batches(points[650..], seed: 4));
        AssertSame(WhatTheMonitorStores(Batches(points[..600]).Append(points[600..650]).Concat(Batches(points[650..], seed: 4))), await AnomaliesAsync(tenant.Client, id));
        Assert.Equal(900, await connection.ExecuteScalarAsync<long>("SELECT scored_points FROM detector_state WHERE series_id = @id", new { id }));
    }

    [Fact]
    public async Task FeedbackNamesWhatIsWrongAndUnknownAnomaliesAre404()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read", "alerts:write");
        var id = await StreamAsync(tenant.Client, "feedback.validation", Batches(Series(1200, i => i == 900 ? 80 : 0)));
        var anomalyId = (await AnomaliesAsync(tenant.Client, id)).First().GetProperty("id").GetInt64();

        foreach (var (body, field) in new[] { ("{\"verdict\":\"maybe\"}", "verdict"), ("{}", "verdict"), ($"{{\"verdict\":\"not_anomaly\",\"comment\":\"{new string('x', 2001)}\"}}", "comment") })
        {
            var bad = await tenant.Client.PostAsync($"/api/anomalies/{anomalyId}/feedback", TestData.JsonBody(body));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.Json()).GetProperty("errors").TryGetProperty(field, out _), field);
        }

        Assert.Equal(JsonValueKind.Null, (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies/{anomalyId}")).GetProperty("feedback").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.PostAsJsonAsync("/api/anomalies/987654321/feedback", new { verdict = "not_anomaly" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.DeleteAsync("/api/anomalies/987654321/feedback")).StatusCode);

        var reader = await factory.NewTenant("metrics:read");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Client.PostAsJsonAsync($"/api/anomalies/{anomalyId}/feedback", new { verdict = "not_anomaly" })).StatusCode);
    }
}

/// <summary>Takes part in a writer's groups after detection and fails each one once detection has written, noting the anomalies it saw.</summary>
internal sealed class FailingAfterDetection(long seriesId) : IWriteGroupParticipant
{
    public List<long> AnomaliesSeen { get; } = [];

    public void Begin(IReadOnlyList<object> units)
    {
    }

    public async Task BeforeCommitAsync(WriteScope scope, IReadOnlyList<WrittenUnit> written, CancellationToken cancellationToken)
    {
        AnomaliesSeen.AddRange(await scope.Connection.QueryAsync<long>("SELECT ts FROM anomalies WHERE series_id = @seriesId", new { seriesId }, scope.Transaction));
        throw new InvalidOperationException("The group fails after detection has written.");
    }

    public void Committed()
    {
    }

    public void RolledBack()
    {
    }
}

public sealed class DetectionTestsOnFile(ApiFactory factory) : DetectionTests<ApiFactory>(factory);

public sealed class DetectionTestsOnSqld(SqldApiFactory factory) : DetectionTests<SqldApiFactory>(factory);
