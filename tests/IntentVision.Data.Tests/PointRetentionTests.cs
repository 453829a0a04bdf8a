using Dapper;
using IntentVision.Data.Metrics;
using IntentVision.Data.Migrations;
using IntentVision.Data.Organizations;
using IntentVision.Data.Retention;
using IntentVision.Data.Writing;

namespace IntentVision.Data.Tests;

/// <summary>
/// Retention on both backends: points older than their organization's period go, in transactions of at most the batch
/// size through the database writer, the series' statistics follow, other organizations keep theirs, and the freed
/// pages take new points before the database grows.
/// </summary>
public abstract class PointRetentionTests(TestBackend backend) : DatabaseTestBase(backend)
{
    private const int BatchSize = 5_000;
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0.AddDays(10);

    private readonly PointsPerGroup _groups = new();
    private DatabaseWriter _writer = null!;
    private IngestWriter _ingest = null!;
    private PointRetention _retention = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await new MigrationRunner(Db.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System).RunAsync();
        _writer = new DatabaseWriter(Db.DataSource, TimeProvider.System, participants: [_groups]);
        await _writer.StartAsync(CancellationToken.None);
        var organizations = new OrganizationRepository(Db.DataSource, _writer, TimeProvider.System);
        await organizations.CreateAsync("acme", "Acme");
        await organizations.CreateAsync("globex", "Globex");
        _ingest = new IngestWriter(_writer);
        _retention = new PointRetention(Db.DataSource, _writer);

        // Ten days of one-minute points: two series of acme, one of globex.
        foreach (var (organization, host) in new[] { ("acme", "a"), ("acme", "b"), ("globex", "a") })
        {
            for (var day = 0; day < 10; day++)
            {
                var points = Enumerable.Range(0, 1_440)
                    .Select(i => new MetricPoint("cpu", T0.AddDays(day).AddMinutes(i), i % 100, new Dictionary<string, string> { ["host"] = host }))
                    .ToList();
                await _ingest.IngestAsync(organization, points);
            }
        }
    }

    public override async Task DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None);
        _writer.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task ExpiredPointsGoInBoundedTransactionsAndStatisticsFollow()
    {
        Assert.True(await _retention.SetRetentionAsync("acme", 3));
        _groups.Watching = true;

        var deleted = await _retention.DeleteExpiredAsync(Now, BatchSize);

        // Seven of ten days of both acme series.
        Assert.Equal(2 * 7 * 1_440, deleted);
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        var cutoff = Now.AddDays(-3).ToUnixTimeMilliseconds();
        var series = (await connection.QueryAsync<(string Organization, long Count, long First, long Last, long Stored, long Oldest)>("""
            SELECT s.organization_id, s.point_count, s.first_ts, s.last_ts,
                   (SELECT count(*) FROM metrics m WHERE m.series_id = s.id), (SELECT min(ts) FROM metrics m WHERE m.series_id = s.id)
            FROM time_series s ORDER BY s.id
            """)).ToList();
        foreach (var acme in series.Where(s => s.Organization == "acme"))
        {
            Assert.Equal(3 * 1_440, acme.Stored);
            Assert.Equal(acme.Stored, acme.Count);
            Assert.Equal(cutoff, acme.First);
            Assert.Equal(cutoff, acme.Oldest);
            Assert.Equal(Now.AddMinutes(-1).ToUnixTimeMilliseconds(), acme.Last);
        }

        var globex = Assert.Single(series, s => s.Organization == "globex");
        Assert.Equal(10 * 1_440, globex.Stored);
        Assert.Equal(T0.ToUnixTimeMilliseconds(), globex.First);

        // Every transaction deleted at most one batch: the points stored, seen inside each group before its commit.
        var sizes = _groups.Deleted();
        Assert.True(sizes.Count >= 2 * 7 * 1_440 / BatchSize, $"{sizes.Count} groups");
        Assert.All(sizes, size => Assert.InRange(size, 0, BatchSize));
        Assert.Equal(deleted, sizes.Sum());

        Assert.Equal(0, await _retention.DeleteExpiredAsync(Now, BatchSize));
    }

    [Fact]
    public async Task WithoutARetentionPeriodNothingIsDeleted()
    {
        Assert.Equal(0, await _retention.DeleteExpiredAsync(Now.AddYears(5), BatchSize));
        Assert.False(await _retention.SetRetentionAsync("nobody", 3));
    }

    [Fact]
    public async Task FreedPagesTakeNewPointsBeforeTheDatabaseGrows()
    {
        await _retention.SetRetentionAsync("acme", 3);
        await _retention.DeleteExpiredAsync(Now, BatchSize);
        var (pagesAfterDelete, freeAfterDelete) = await PagesAsync();
        Assert.True(freeAfterDelete > 10, $"{freeAfterDelete} free pages");

        // Fewer new points than were deleted, in a new series.
        await _ingest.IngestAsync("globex", Enumerable.Range(0, 10_000).Select(i => new MetricPoint("mem", Now.AddMinutes(i), i)).ToList());

        var (pages, free) = await PagesAsync();
        Assert.Equal(pagesAfterDelete, pages);
        Assert.True(free < freeAfterDelete, $"{free} free pages after the ingest, {freeAfterDelete} before");
    }

    private async Task<(long Pages, long Free)> PagesAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(long, long)>("SELECT (SELECT page_count FROM pragma_page_count()), (SELECT freelist_count FROM pragma_freelist_count())");
    }

    /// <summary>How many points each write group removed, counted inside the group's transaction just before its commit.</summary>
    private sealed class PointsPerGroup : IWriteGroupParticipant
    {
        private readonly List<long> _counts = [];
        private long _pending = -1;

        public bool Watching { get; set; }

        public List<long> Deleted() => _counts.Zip(_counts.Skip(1), (before, after) => before - after).ToList();

        public void Begin(IReadOnlyList<object> units)
        {
        }

        public async Task BeforeCommitAsync(WriteScope scope, IReadOnlyList<WrittenUnit> written, CancellationToken cancellationToken)
        {
            if (Watching)
            {
                if (_counts.Count == 0)
                {
                    // The count before the first retention group: before its writes ran, the series held all ten days.
                    _counts.Add(3 * 10 * 1_440);
                }

                _pending = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM metrics", transaction: scope.Transaction, cancellationToken: cancellationToken));
            }
        }

        public void Committed()
        {
            if (_pending >= 0)
            {
                _counts.Add(_pending);
                _pending = -1;
            }
        }

        public void RolledBack() => _pending = -1;
    }
}
