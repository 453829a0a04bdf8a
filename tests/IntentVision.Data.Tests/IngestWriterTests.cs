using System.Data.Common;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using IntentVision.Data.Metrics;
using IntentVision.Data.Migrations;
using IntentVision.Data.Organizations;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Tests;

/// <summary>
/// The ingest writer and the one database writer under it, on both backends: group commit keeps each call atomic and
/// answers with its own counts; a call cancelled while it waits writes nothing; stopping drains what is queued and
/// refuses what comes after; the series key names a series whatever dictionary object carried its dimensions; a group
/// participant sees every unit of a group, then the stored ones with their results on the writer's transaction, and
/// what it writes commits or rolls back with the group.
/// </summary>
public abstract class IngestWriterTests(TestBackend backend) : DatabaseTestBase(backend)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private DatabaseWriter _writer = null!;
    private IngestWriter _metrics = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await new MigrationRunner(Db.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System).RunAsync();
        _writer = new DatabaseWriter(Db.DataSource, TimeProvider.System);
        await _writer.StartAsync(CancellationToken.None);
        await new OrganizationRepository(Db.DataSource, _writer, TimeProvider.System).CreateAsync("acme", "Acme");
        _metrics = new IngestWriter(_writer);
    }

    public override async Task DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None);
        _writer.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>
    /// On a server appended points take one round trip whose statistics are computed in SQL; in process (and for a
    /// backfill) they are computed from the stored timestamps. Both must give the same counts and resolution: the median
    /// gap of the batch's timestamps with the series' previous last one (or with the overwritten ones).
    /// </summary>
    [Fact]
    public async Task AppendsAndBackfillsKeepCountsAndResolutionExact()
    {
        (long[] Seconds, long Resolution, int Inserted, int Updated)[] steps =
        [
            ([0, 60, 120], 60, 3, 0),
            ([300], 180, 1, 0),
            ([310, 320, 330], 10, 3, 0),
            ([1330, 1340, 1350, 1360, 1370], 10, 5, 0),
            ([5000, 7000], 3630, 2, 0),
            ([9000, 9100, 9400, 9900], 500, 4, 0),
            ([10000, 10100, 10500, 11500], 400, 4, 0),
            ([12000, 12100, 12900, 13900], 800, 4, 0),
            ([14400, 14500, 15500], 500, 3, 0),
            ([14500, 16000], 1000, 1, 1),
        ];
        var stored = 0;
        foreach (var (seconds, resolution, inserted, updated) in steps)
        {
            var result = await _metrics.IngestAsync("acme", seconds.Select(s => new MetricPoint("res", T0.AddSeconds(s), s)).ToList());
            stored += result.Inserted;
            Assert.Equal((inserted, updated), (result.Inserted, result.Updated));
            Assert.Equal(resolution, await ScalarAsync("SELECT resolution_seconds FROM time_series WHERE metric_key = 'res'"));
            Assert.Equal(stored, await ScalarAsync("SELECT point_count FROM time_series WHERE metric_key = 'res'"));
            Assert.Equal(stored, await ScalarAsync("SELECT count(*) FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.metric_key = 'res'"));
            Assert.Equal(T0.AddSeconds(seconds.Max(s => s)).ToUnixTimeMilliseconds(), await ScalarAsync("SELECT last_ts FROM time_series WHERE metric_key = 'res'"));
        }

        Assert.Equal(T0.ToUnixTimeMilliseconds(), await ScalarAsync("SELECT first_ts FROM time_series WHERE metric_key = 'res'"));
        Assert.Equal(14_500, await ScalarAsync($"SELECT value FROM metrics WHERE ts = {T0.AddSeconds(14_500).ToUnixTimeMilliseconds()}"));
    }

    /// <summary>
    /// Values cross to a server as JSON text that its <c>json_each</c> parses: every double must come back bit for bit,
    /// the extremes and the ones without a short decimal form included, appended and backfilled alike.
    /// </summary>
    [Fact]
    public async Task EveryDoubleIsStoredBitForBit()
    {
        double[] values = [0.1 + 0.2, 1.0 / 3, -2.5, 1e300, -1e-300, double.Epsilon, -double.Epsilon, 2.2250738585072014e-308, double.MaxValue, double.MinValue, 123456789.123456789, 0, 4.35, 9007199254740993];
        await _metrics.IngestAsync("acme", values.Select((v, i) => new MetricPoint("bits", T0.AddSeconds(2 * i), v)).ToList());
        await _metrics.IngestAsync("acme", values.Select((v, i) => new MetricPoint("bits", T0.AddSeconds((2 * i) + 1), -v)).Reverse().ToList());

        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var stored = (await connection.QueryAsync<double>("SELECT m.value FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.metric_key = 'bits' ORDER BY m.ts")).ToList();
        // SQLite keeps no negative zero (a REAL with an integral value is stored as an integer): -0 comes back as 0.
        Assert.Equal(values.SelectMany(v => new[] { v, -v }).Select(v => BitConverter.DoubleToInt64Bits(v == 0 ? 0 : v)), stored.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public async Task GroupCommitKeepsEachCallAtomicAndReportsItsOwnCounts()
    {
        await _metrics.IngestAsync("acme", Points("gc.update", 10));

        // Hold the write lock from another connection, so that every call below queues behind the writer and they are merged.
        await using (var blocker = await HoldWriteLockAsync())
        {
            var good = Enumerable.Range(0, 6).Select(i => _metrics.IngestAsync("acme", Points($"gc.ok{i}", 100 + i))).ToList();
            var updating = _metrics.IngestAsync("acme", Points("gc.update", 10, offset: 5));

            // Fails in the database after its first series and some rows were written: NaN is stored as NULL,
            // which value NOT NULL refuses. Its first series must vanish with it.
            var badMixed = _metrics.IngestAsync("acme", [.. Points("gc.bad.first", 50), .. Points("gc.bad.second", 50, poison: double.NaN)]);
            var noOrganization = _metrics.IngestAsync("no-such-organization", Points("gc.orphan", 5));
            await Task.Delay(300);
            Assert.All(good, t => Assert.False(t.IsCompleted));

            await blocker.RollbackAsync();

            var results = await Task.WhenAll(good);
            for (var i = 0; i < results.Length; i++)
            {
                Assert.Equal((100 + i, 100 + i, 0), (results[i].Accepted, results[i].Inserted, results[i].Updated));
                Assert.Single(results[i].SeriesIds);
            }

            Assert.Equal((10, 5, 5), ((await updating).Accepted, (await updating).Inserted, (await updating).Updated));
            var bad = await Assert.ThrowsAsync<LibSqlException>(() => badMixed);
            Assert.Equal("SQLITE_CONSTRAINT", bad.PrimaryCode);
            var orphan = await Assert.ThrowsAsync<LibSqlException>(() => noOrganization);
            Assert.Equal("SQLITE_CONSTRAINT", orphan.PrimaryCode);
        }

        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM time_series WHERE metric_key LIKE 'gc.bad.%' OR metric_key = 'gc.orphan'"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.metric_key LIKE 'gc.bad.%'"));
        Assert.Equal(Enumerable.Range(0, 6).Sum(i => 100 + i), await ScalarAsync("SELECT count(*) FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.metric_key LIKE 'gc.ok%'"));
        Assert.Equal(15, await ScalarAsync("SELECT point_count FROM time_series WHERE metric_key = 'gc.update'"));
    }

    [Fact]
    public async Task ACallCancelledWhileItWaitsWritesNothing()
    {
        await using var blocker = await HoldWriteLockAsync();
        var first = _metrics.IngestAsync("acme", [new MetricPoint("cancel.first", T0, 1)]);
        await Task.Delay(100);
        using var cancel = new CancellationTokenSource();
        var waiting = _metrics.IngestAsync("acme", [new MetricPoint("cancel.waiting", T0, 1)], cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        await blocker.RollbackAsync();

        Assert.Equal(1, (await first).Inserted);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM time_series WHERE metric_key = 'cancel.waiting'"));
    }

    [Fact]
    public async Task StoppingDrainsWhatIsQueuedAndRefusesWhatComesAfter()
    {
        Task<IngestResult> queued;
        Task stopped;
        await using (var blocker = await HoldWriteLockAsync())
        {
            queued = _metrics.IngestAsync("acme", Points("drain", 200));
            await Task.Delay(100);
            stopped = _writer.StopAsync(CancellationToken.None);
            await Task.Delay(100);
            Assert.False(stopped.IsCompleted);
            var refused = await Assert.ThrowsAsync<WriterStoppedException>(() => _metrics.IngestAsync("acme", Points("late", 1)));
            Assert.Contains("stopped", refused.Message);
            await blocker.RollbackAsync();
        }

        await stopped;
        Assert.Equal(200, (await queued).Inserted);
        Assert.Equal(200, await ScalarAsync("SELECT count(*) FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.metric_key = 'drain'"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM time_series WHERE metric_key = 'late'"));
    }

    [Fact]
    public async Task EqualDimensionsInDifferentObjectsAndOrdersAreOneSeries()
    {
        var points = Enumerable.Range(0, 40).Select(i => new MetricPoint(
            "cpu",
            T0.AddSeconds(i),
            i,
            i % 2 == 0 ? new Dictionary<string, string> { ["host"] = "a", ["dc"] = "eu" } : new Dictionary<string, string> { ["dc"] = "eu", ["host"] = "a" })).ToList();
        points.Add(new MetricPoint("cpu", T0, 99, new Dictionary<string, string> { ["host"] = "b" }));
        var batch = IngestBatch.Create("acme", points);
        Assert.Equal(
            [new SeriesKey("acme", "cpu", """{"dc":"eu","host":"a"}"""), new SeriesKey("acme", "cpu", """{"host":"b"}""")],
            batch.Series.Select(s => s.Key));

        var result = await _metrics.IngestAsync("acme", points);
        Assert.Equal(2, result.SeriesIds.Count);
        Assert.Equal(41, result.Inserted);
    }

    [Fact]
    public async Task PeakDownsamplingPicksThePointsTheWindowQueryPicks()
    {
        var random = new Random(42);

        // Few distinct values, so that ties (earliest point wins) are common; a gap leaves buckets empty.
        var points = Enumerable.Range(0, 3000).Where(i => i is < 1200 or > 1500)
            .Select(i => new MetricPoint("peaks", T0.AddSeconds(i * 7), random.Next(0, 5) - (i % 500 == 0 ? 100 : 0), null)).ToList();
        var id = (await _metrics.IngestAsync("acme", points)).SeriesIds[0];
        var reader = new SeriesReader(Db.DataSource);
        var from = T0.AddSeconds(13);
        var to = T0.AddSeconds(3000 * 7);
        foreach (var bucket in new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(61), TimeSpan.FromMinutes(17), TimeSpan.FromDays(1) })
        {
            var actual = await reader.ReadPeaksAsync(id, from, to, bucket);
            await using var connection = await Db.DataSource.OpenConnectionAsync();
            var (start, end, width) = (from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), (long)bucket.TotalMilliseconds);
            var expected = (await connection.QueryAsync<(long Ts, double Value)>(
                """
                SELECT ts, value FROM (
                    SELECT ts, value,
                           row_number() OVER (PARTITION BY (ts - @start) / @width ORDER BY value, ts) AS lowest,
                           row_number() OVER (PARTITION BY (ts - @start) / @width ORDER BY value DESC, ts) AS highest
                    FROM metrics WHERE series_id = @id AND ts >= @start AND ts < @end)
                WHERE lowest = 1 OR highest = 1 ORDER BY ts
                """,
                new { start, end, width, id })).Select(r => new StoredPoint(DateTimeOffset.FromUnixTimeMilliseconds(r.Ts), r.Value)).ToList();

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task AParticipantSeesEveryUnitThenTheStoredOnesAndWritesWithThem()
    {
        var participant = new RecordingParticipant();
        using var writer = new DatabaseWriter(Db.DataSource, TimeProvider.System, participants: [participant]);
        await writer.StartAsync(CancellationToken.None);
        var ingest = new IngestWriter(writer);

        var writes = await InOneGroupAsync(
            writer,
            () => ingest.IngestAsync("acme", Points("p.first", 20)),
            // NaN is stored as NULL, which value NOT NULL refuses: this unit rolls back to its savepoint alone.
            () => ingest.IngestAsync("acme", Points("p.failing", 10, poison: double.NaN)),
            () => ingest.IngestAsync("acme", Points("p.last", 5)));
        await Assert.ThrowsAsync<LibSqlException>(() => writes[1]);

        var group = participant.Groups[^1];
        Assert.Equal(["p.first", "p.failing", "p.last"], group.Units.Cast<IngestUnit>().Select(u => u.Batch.Series[0].Key.MetricKey));
        Assert.Equal([group.Units[0], group.Units[2]], group.Written.Select(w => w.Unit));
        Assert.Same(await writes[0], group.Written[0].Result);
        Assert.Same(await writes[2], group.Written[1].Result);
        Assert.True(group.Committed);
        Assert.Equal("2 of 3 units written", await OrganizationNameAsync());
        await writer.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// On a server, a call that arrives while a group's COMMIT is on its way is taken for the next group then, and the
    /// participants hear of it before that COMMIT answers (<see cref="IWriteGroupParticipant.Upcoming"/>), so that
    /// detection can score it meanwhile; the next group begins with it. In process a COMMIT is no round trip, and nothing
    /// is told ahead.
    /// </summary>
    [Fact]
    public async Task ACallArrivingDuringACommitIsToldAheadAndBeginsTheNextGroup()
    {
        Task<IngestResult>? arriving = null;
        IngestWriter? ingest = null;
        var participant = new ArrivalsParticipant(() => arriving ??= ingest!.IngestAsync("acme", Points("ar.late", 5)));
        using var writer = new DatabaseWriter(Db.DataSource, TimeProvider.System, participants: [participant]);
        await writer.StartAsync(CancellationToken.None);
        ingest = new IngestWriter(writer);

        Assert.Equal(5, (await ingest.IngestAsync("acme", Points("ar.first", 5))).Inserted);
        Assert.Equal(5, (await arriving!).Inserted);

        var late = participant.Begun.Single(units => units.OfType<IngestUnit>().Any(u => u.Batch.Series[0].Key.MetricKey == "ar.late"));
        if (Backend == TestBackend.Sqld)
        {
            var told = Assert.Single(participant.Told);
            Assert.Same(Assert.Single(told), late[0]);
            Assert.Equal(["begin", "upcoming", "committed", "begin", "committed"], participant.Events);
        }
        else
        {
            Assert.Empty(participant.Told);
            Assert.Equal(["begin", "committed", "begin", "committed"], participant.Events);
        }

        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AParticipantThatFailsBeforeCommitRollsTheWholeGroupBack()
    {
        var participant = new RecordingParticipant { FailBeforeCommit = true };
        using var writer = new DatabaseWriter(Db.DataSource, TimeProvider.System, participants: [participant]);
        await writer.StartAsync(CancellationToken.None);
        var ingest = new IngestWriter(writer);

        var writes = await InOneGroupAsync(
            writer,
            () => ingest.IngestAsync("acme", Points("r.first", 20)),
            () => ingest.IngestAsync("acme", Points("r.second", 20)));

        Assert.Equal("The participant refuses the group.", (await Assert.ThrowsAsync<InvalidOperationException>(() => writes[0])).Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writes[1]);
        Assert.False(participant.Groups[^1].Committed);
        Assert.True(participant.Groups[^1].RolledBack);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM time_series WHERE metric_key LIKE 'r.%'"));
        Assert.Equal("1 of 1 units written", await OrganizationNameAsync()); // the holding unit's group; the refused group's write is gone
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AParticipantsOwnFailureUnderItsSavepointLetsTheUnitsCommit()
    {
        // Detection's pattern: its writes under a savepoint, a failure undone to it. On a server the writes travel with the
        // COMMIT, so the failure surfaces there, nothing commits, and the group runs again with every write awaited.
        var participant = new SavepointParticipant();
        using var writer = new DatabaseWriter(Db.DataSource, TimeProvider.System, participants: [participant]);
        await writer.StartAsync(CancellationToken.None);
        var ingest = new IngestWriter(writer);

        var writes = await InOneGroupAsync(
            writer,
            () => ingest.IngestAsync("acme", Points("s.first", 20)),
            () => ingest.IngestAsync("acme", Points("s.second", 20)));

        Assert.All(writes, w => Assert.Equal(20, w.Result.Inserted));
        Assert.Equal(Backend == TestBackend.Sqld ? 2 : 1, participant.Attempts);
        Assert.Equal(1, participant.Failures);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(40, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.metric_key LIKE 's.%'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM organizations WHERE name = 'written by the participant'"));
        await writer.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// On a server the appends of a group's ingest calls go ahead of them in ONE request (a round trip per call saved);
    /// each call still answers with its own counts and series ids. In process every call writes for itself.
    /// </summary>
    [Fact]
    public async Task AGroupsAppendsTravelInOneRequestOnAServerAndEachCallKeepsItsOwnAnswer()
    {
        await _metrics.IngestAsync("acme", Points("wa.existing", 10));
        using var requests = new ServerRequests(Db.Server);

        var writes = await InOneGroupAsync(
            _writer,
            () => _metrics.IngestAsync("acme", Points("wa.existing", 20, offset: 10)),
            () => _metrics.IngestAsync("acme", [.. Points("wa.two.a", 5), .. Points("wa.two.b", 7)]),
            () => _metrics.IngestAsync("acme", Points("wa.new", 3)));

        Assert.Equal(Backend == TestBackend.Sqld ? ["BATCH"] : [], requests.Operations);
        var results = await Task.WhenAll(writes);
        Assert.Equal([(20, 20, 0), (12, 12, 0), (3, 3, 0)], results.Select(r => (r.Accepted, r.Inserted, r.Updated)));
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var stored = (await connection.QueryAsync<(string Metric, long Id, long Count, long Last)>(
            "SELECT metric_key, id, point_count, last_ts FROM time_series WHERE metric_key LIKE 'wa.%' ORDER BY metric_key")).ToList();
        Assert.Equal(
            [("wa.existing", 30L, T0.AddSeconds(29)), ("wa.new", 3L, T0.AddSeconds(2)), ("wa.two.a", 5L, T0.AddSeconds(4)), ("wa.two.b", 7L, T0.AddSeconds(6))],
            stored.Select(s => (s.Metric, s.Count, DateTimeOffset.FromUnixTimeMilliseconds(s.Last))));
        var ids = stored.ToDictionary(s => s.Metric, s => s.Id);
        Assert.Equal([ids["wa.existing"]], results[0].SeriesIds);
        Assert.Equal([ids["wa.two.a"], ids["wa.two.b"]], results[1].SeriesIds);
        Assert.Equal([ids["wa.new"]], results[2].SeriesIds);
        Assert.Equal(45, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.metric_key LIKE 'wa.%'"));
    }

    /// <summary>
    /// A group as heavy as the writer takes (5 calls of 10,000 points, the API's most per request) goes ahead in one
    /// request of about 1.5 MB: the server takes it, and every point is stored once.
    /// </summary>
    [Fact]
    public async Task AFullGroupGoesAheadInOneRequest()
    {
        using var requests = new ServerRequests(Db.Server);

        var writes = await InOneGroupAsync(
            _writer,
            [.. Enumerable.Range(0, 5).Select(c => (Func<Task<IngestResult>>)(() => _metrics.IngestAsync("acme", Points($"wf.c{c}", 10_000))))]);

        Assert.Equal(Backend == TestBackend.Sqld ? ["BATCH"] : [], requests.Operations);
        Assert.All(await Task.WhenAll(writes), r => Assert.Equal((10_000, 10_000, 0), (r.Accepted, r.Inserted, r.Updated)));
        Assert.Equal(50_000, await ScalarAsync("SELECT count(*) FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.metric_key LIKE 'wf.%'"));
        Assert.Equal(50_000, await ScalarAsync("SELECT sum(point_count) FROM time_series WHERE metric_key LIKE 'wf.%'"));
    }

    /// <summary>
    /// On a server a series the writer has stored to is known (its id, where it ends): a group of calls appending to such
    /// series asks the server nothing, and its writes travel with the COMMIT, ONE request for the whole group. Each call
    /// still answers with its own counts and the series' ids, and the statistics are those of any other append.
    /// </summary>
    [Fact]
    public async Task AGroupAppendingToKnownSeriesIsOneRequestOnAServer()
    {
        var first = await _metrics.IngestAsync("acme", [.. Points("wk.a", 10), .. Points("wk.b", 10)]);
        using var requests = new ServerRequests(Db.Server, endings: true);

        var writes = await InOneGroupAsync(
            _writer,
            () => _metrics.IngestAsync("acme", Points("wk.a", 20, offset: 10)),
            () => _metrics.IngestAsync("acme", Points("wk.b", 5, offset: 10)));

        Assert.Equal(Backend == TestBackend.Sqld ? ["COMMIT"] : [], requests.Operations);
        var results = await Task.WhenAll(writes);
        Assert.Equal([(20, 20, 0), (5, 5, 0)], results.Select(r => (r.Accepted, r.Inserted, r.Updated)));
        Assert.Equal([first.SeriesIds[0]], results[0].SeriesIds);
        Assert.Equal([first.SeriesIds[1]], results[1].SeriesIds);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(
            [("wk.a", 30L, 30L, T0.AddSeconds(29).ToUnixTimeMilliseconds(), 1L), ("wk.b", 15L, 15L, T0.AddSeconds(14).ToUnixTimeMilliseconds(), 1L)],
            await connection.QueryAsync<(string, long, long, long, long)>(
                "SELECT s.metric_key, s.point_count, (SELECT count(*) FROM metrics m WHERE m.series_id = s.id), s.last_ts, s.resolution_seconds FROM time_series s WHERE s.metric_key LIKE 'wk.%' ORDER BY s.metric_key"));
    }

    /// <summary>
    /// What the writer knows is a hint the server checks. Another writer (another process) stored points in a known
    /// series behind this writer's back; this writer's next call reaches into them. Its append, sent with the COMMIT,
    /// fails its guard there, nothing of the attempt commits, and the group runs again with every write awaited: exact
    /// counts (the overlap counts as updated), no point twice, and the writer knows the series' true end again.
    /// </summary>
    [Fact]
    public async Task AKnownSeriesWrittenBehindTheWritersBackIsWrittenExactly()
    {
        await _metrics.IngestAsync("acme", Points("wo.shared", 10));
        using (var other = new DatabaseWriter(Db.DataSource, TimeProvider.System))
        {
            await other.StartAsync(CancellationToken.None);
            Assert.Equal(5, (await new IngestWriter(other).IngestAsync("acme", Points("wo.shared", 5, offset: 10))).Inserted);
            await other.StopAsync(CancellationToken.None);
        }

        using var requests = new ServerRequests(Db.Server, endings: true);
        var result = await _metrics.IngestAsync("acme", Points("wo.shared", 10, offset: 10));
        var next = await _metrics.IngestAsync("acme", Points("wo.shared", 5, offset: 20));

        // On a server: the attempt with the append deferred (its COMMIT refused), then the call's own append request, the
        // stored timestamps and the exact write; the next call appends to the series as now known, in one request.
        Assert.Equal(Backend == TestBackend.Sqld ? ["COMMIT!", "BATCH", "SELECT", "BATCH", "COMMIT", "COMMIT"] : [], requests.Operations);
        Assert.Equal((10, 5, 5), (result.Accepted, result.Inserted, result.Updated));
        Assert.Equal((5, 5, 0), (next.Accepted, next.Inserted, next.Updated));
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(
            (25L, 25L, T0.AddSeconds(24).ToUnixTimeMilliseconds()),
            await connection.QuerySingleAsync<(long, long, long)>(
                "SELECT s.point_count, (SELECT count(*) FROM metrics m WHERE m.series_id = s.id), s.last_ts FROM time_series s WHERE s.metric_key = 'wo.shared'"));
    }

    /// <summary>
    /// A call that reaches back into its series (a backfill) goes ahead with the others, but its guards leave that series
    /// untouched: the call then reads the stored timestamps and writes it the exact way, in the same attempt. Exact
    /// counts, no point twice, nothing rolled back.
    /// </summary>
    [Fact]
    public async Task ABackfillInAGroupIsWrittenExactlyAndNothingTwice()
    {
        await _metrics.IngestAsync("acme", Points("wb.backfilled", 10));
        using var requests = new ServerRequests(Db.Server);

        var writes = await InOneGroupAsync(
            _writer,
            () => _metrics.IngestAsync("acme", Points("wb.appended", 8)),
            () => _metrics.IngestAsync("acme", Points("wb.backfilled", 10, offset: 5)));

        // On a server: the request ahead for both calls; its guards found the backfilled series holding points, so that
        // call reads the stored timestamps and writes the exact way.
        Assert.Equal(Backend == TestBackend.Sqld ? ["BATCH", "SELECT", "BATCH"] : [], requests.Operations);
        var results = await Task.WhenAll(writes);
        Assert.Equal([(8, 8, 0), (10, 5, 5)], results.Select(r => (r.Accepted, r.Inserted, r.Updated)));
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(
            [("wb.appended", 8L, 8L), ("wb.backfilled", 15L, 15L)],
            await connection.QueryAsync<(string, long, long)>(
                "SELECT s.metric_key, s.point_count, (SELECT count(*) FROM metrics m WHERE m.series_id = s.id) FROM time_series s WHERE s.metric_key LIKE 'wb.%' ORDER BY s.metric_key"));
    }

    /// <summary>
    /// What goes ahead lies outside a unit's savepoint, so a unit that fails after its writes went ahead fails the
    /// attempt; the group runs again unit by unit, where that unit's failure is undone alone and the others commit.
    /// </summary>
    [Fact]
    public async Task AUnitThatFailsAfterGoingAheadIsUndoneAloneOnTheGroupsNextAttempt()
    {
        var ahead = new OrganizationsAhead();
        var writes = await InOneGroupAsync(
            _writer,
            () => _writer.WriteAsync(new OrganizationUnit(ahead, "ahead-kept", fails: false)),
            () => _writer.WriteAsync(new OrganizationUnit(ahead, "ahead-failing", fails: true)));

        Assert.Equal(Backend == TestBackend.Sqld ? 1 : 0, ahead.Calls);
        Assert.Equal(1, await writes[0]);
        Assert.Equal("ahead-failing fails after its write.", (await Assert.ThrowsAsync<InvalidOperationException>(() => writes[1])).Message);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        Assert.Equal(["ahead-kept"], await connection.QueryAsync<string>("SELECT id FROM organizations WHERE id LIKE 'ahead-%'"));
    }

    /// <summary>Starts the writes while a unit holds the writer, so that they form the next group together.</summary>
    private static async Task<Task<T>[]> InOneGroupAsync<T>(DatabaseWriter writer, params Func<Task<T>>[] writes)
    {
        var held = new HeldWriteUnit();
        var holding = writer.WriteAsync(held);
        await held.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var started = writes.Select(write => write()).ToArray();
        held.Release.SetResult();
        await holding;
        await Task.WhenAll(started.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        return started;
    }

    private async Task<string> OrganizationNameAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT name FROM organizations WHERE id = 'acme'") ?? string.Empty;
    }

    /// <summary>What one group showed a participant.</summary>
    private sealed class GroupSeen(IReadOnlyList<object> units)
    {
        public IReadOnlyList<object> Units { get; } = units;

        public IReadOnlyList<WrittenUnit> Written { get; set; } = [];

        public bool Committed { get; set; }

        public bool RolledBack { get; set; }
    }

    /// <summary>
    /// Records each group; before COMMIT it writes how many units were written, through the writer's scope, and refuses
    /// groups with ingests when told to.
    /// </summary>
    private sealed class RecordingParticipant : IWriteGroupParticipant
    {
        public bool FailBeforeCommit { get; init; }

        public List<GroupSeen> Groups { get; } = [];

        public void Begin(IReadOnlyList<object> units) => Groups.Add(new GroupSeen([.. units]));

        public async Task BeforeCommitAsync(WriteScope scope, IReadOnlyList<WrittenUnit> written, CancellationToken cancellationToken)
        {
            var group = Groups[^1];
            group.Written = [.. written];
            await scope.Connection.ExecuteAsync(
                "UPDATE organizations SET name = @name WHERE id = 'acme'",
                new { name = $"{written.Count} of {group.Units.Count} units written" },
                scope.Transaction);
            if (FailBeforeCommit && written.Any(w => w.Unit is IngestUnit))
            {
                throw new InvalidOperationException("The participant refuses the group.");
            }
        }

        public void Committed() => Groups[^1].Committed = true;

        public void RolledBack() => Groups[^1].RolledBack = true;
    }

    /// <summary>Starts a call from its first group's BeforeCommitAsync (so it arrives before that COMMIT answers) and records what it is told.</summary>
    private sealed class ArrivalsParticipant(Func<Task> arrive) : IWriteGroupParticipant
    {
        public List<IReadOnlyList<object>> Begun { get; } = [];

        public List<IReadOnlyList<object>> Told { get; } = [];

        public List<string> Events { get; } = [];

        public void Begin(IReadOnlyList<object> units)
        {
            Events.Add("begin");
            Begun.Add([.. units]);
        }

        public Task BeforeCommitAsync(WriteScope scope, IReadOnlyList<WrittenUnit> written, CancellationToken cancellationToken)
        {
            // Not awaited: it completes only after a later group's COMMIT.
            _ = arrive();
            return Task.CompletedTask;
        }

        public void Upcoming(IReadOnlyList<object> units)
        {
            Events.Add("upcoming");
            Told.Add([.. units]);
        }

        public void Committed() => Events.Add("committed");

        public void RolledBack() => Events.Add("rolled back");
    }

    /// <summary>
    /// Before each COMMIT of a group with ingests: under its own savepoint a write that succeeds, then one that fails (a
    /// duplicate organization), undone to the savepoint where the participant learns of the failure.
    /// </summary>
    private sealed class SavepointParticipant : IWriteGroupParticipant
    {
        private bool _ingests;

        public int Attempts { get; private set; }

        public int Failures { get; private set; }

        public void Begin(IReadOnlyList<object> units)
        {
            _ingests = units.Any(u => u is IngestUnit);
            Attempts += _ingests ? 1 : 0;
        }

        public async Task BeforeCommitAsync(WriteScope scope, IReadOnlyList<WrittenUnit> written, CancellationToken cancellationToken)
        {
            if (!_ingests)
            {
                return;
            }

            await scope.Transaction.SaveAsync("participant", cancellationToken);
            try
            {
                await scope.Connection.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES ('participant', 'written by the participant', 'x')", transaction: scope.Transaction);
                await scope.Connection.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES ('acme', 'duplicate', 'x')", transaction: scope.Transaction);
            }
            catch (LibSqlException)
            {
                Failures++;
                await scope.Transaction.RollbackAsync("participant", cancellationToken);
            }

            await scope.Transaction.ReleaseAsync("participant", cancellationToken);
        }

        public void Committed()
        {
        }

        public void RolledBack()
        {
        }
    }

    /// <summary>
    /// The operations sent to this test's server (on a server each is a round trip), COMMIT and ROLLBACK aside unless
    /// <paramref name="endings"/>; a failed one is marked with "!".
    /// </summary>
    private sealed class ServerRequests : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly List<string> _operations = [];

        public ServerRequests(SqldServer? server, bool endings = false)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == LibSqlTelemetry.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (server is not null && Equals(activity.GetTagItem("server.port"), server.Port) && (endings || activity.OperationName is not ("COMMIT" or "ROLLBACK")))
                    {
                        lock (_operations)
                        {
                            _operations.Add(activity.OperationName + (activity.Status == ActivityStatusCode.Error ? "!" : string.Empty));
                        }
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<string> Operations
        {
            get
            {
                lock (_operations)
                {
                    return [.. _operations];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Writes its units' organizations ahead, in one batch, and counts its calls.</summary>
    private sealed class OrganizationsAhead : IWriteAhead
    {
        public int Calls { get; private set; }

        public async Task WriteAheadAsync(WriteScope scope, IReadOnlyList<IWriteAheadUnit> units, CancellationToken cancellationToken)
        {
            Calls++;
            await using var batch = new LibSqlBatch { Connection = scope.Connection, Transaction = scope.Transaction };
            foreach (var unit in units.Cast<OrganizationUnit>())
            {
                batch.BatchCommands.Add(OrganizationUnit.Insert(unit.Id, scope));
                scope.WroteAhead(unit, unit.Id);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Creates an organization (ahead, or itself), then fails if told to.</summary>
    private sealed class OrganizationUnit(OrganizationsAhead ahead, string id, bool fails) : IWriteUnit<int>, IWriteAheadUnit
    {
        public string Id { get; } = id;

        public int Weight => 1;

        public IWriteAhead? WriteAhead => ahead;

        public static LibSqlBatchCommand Insert(string id, WriteScope scope)
        {
            var command = new LibSqlBatchCommand("INSERT INTO organizations (id, name, created_at) VALUES (@id, @id, @now)");
            command.Parameters.Add(new LibSqlParameter("id", id));
            command.Parameters.Add(new LibSqlParameter("now", scope.NowText));
            return command;
        }

        public async Task<int> WriteAsync(WriteScope scope, CancellationToken cancellationToken)
        {
            if (!scope.TryTakeWrittenAhead<string>(this, out _))
            {
                await using var batch = new LibSqlBatch { Connection = scope.Connection, Transaction = scope.Transaction };
                batch.BatchCommands.Add(Insert(Id, scope));
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }

            return fails ? throw new InvalidOperationException($"{Id} fails after its write.") : 1;
        }
    }

    private static List<MetricPoint> Points(string metric, int count, int offset = 0, double? poison = null) =>
        Enumerable.Range(offset, count)
            .Select(i => new MetricPoint(metric, T0.AddSeconds(i), poison is { } p && i == offset + count - 1 ? p : i, new Dictionary<string, string> { ["host"] = metric }))
            .ToList();

    /// <summary>A write transaction on another connection that has written (so it holds the lock on either backend).</summary>
    private async Task<LockHolder> HoldWriteLockAsync()
    {
        var connection = await Db.DataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("UPDATE organizations SET name = name WHERE id = 'acme'", transaction: transaction);
        return new LockHolder(connection, transaction);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private sealed class LockHolder(LibSqlConnection connection, LibSqlTransaction transaction) : IAsyncDisposable
    {
        public Task RollbackAsync() => transaction.Connection is null ? Task.CompletedTask : transaction.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

public sealed class IngestWriterFileTests() : IngestWriterTests(TestBackend.File);

public sealed class IngestWriterSqldTests() : IngestWriterTests(TestBackend.Sqld);

/// <summary>Canonical dimensions: the JSON writer's bytes for every character, keys in ordinal order.</summary>
public sealed class CanonicalDimensionsTests
{
    [Fact]
    public void CanonicalDimensionsAreTheJsonWritersBytesForEveryCharacter()
    {
        static string Reference(IReadOnlyDictionary<string, string> dimensions)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
            {
                writer.WriteStartObject();
                foreach (var (key, value) in dimensions.OrderBy(d => d.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        var samples = Enumerable.Range(0, 256).Select(c => ((char)c).ToString()).Concat(["é", "日本", "a b", "\u2028", "x\"y", "plain-value_1.2:3/4"]);
        foreach (var sample in samples)
        {
            var dimensions = new Dictionary<string, string> { ["zeta"] = sample, ["alpha"] = "v" + sample, ["k" + (sample.Length == 1 && char.IsAsciiLetterOrDigit(sample[0]) ? sample : "x")] = "1" };
            Assert.Equal(Reference(dimensions), CanonicalDimensions.Serialize(dimensions));
        }

        Assert.Equal("{}", CanonicalDimensions.Serialize(new Dictionary<string, string>()));
        Assert.Equal("""{"a":"2","b":"1"}""", CanonicalDimensions.Serialize(new Dictionary<string, string> { ["b"] = "1", ["a"] = "2" }));
    }
}
