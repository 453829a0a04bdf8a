using Dapper;
using IntentVision.Data.Metrics;
using IntentVision.Data.Migrations;
using IntentVision.Data.Organizations;
using IntentVision.Data.Series;
using IntentVision.Data.Writing;
using Microsoft.Extensions.Time.Testing;

namespace IntentVision.Data.Tests;

/// <summary>The same Dapper repositories on the file and on a real sqld: one code path for both backends.</summary>
public abstract class RepositoryTests(TestBackend backend) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase _db = null!;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private OrganizationRepository _organizations = null!;
    private DatabaseWriter _writer = null!;
    private IngestWriter _metrics = null!;
    private SeriesReader _reader = null!;
    private SeriesRepository _series = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(backend);
        await new MigrationRunner(_db.DataSource, MigrationCatalog.FromEmbeddedResources(), _time).RunAsync();
        _writer = new DatabaseWriter(_db.DataSource, _time);
        await _writer.StartAsync(CancellationToken.None);
        _organizations = new OrganizationRepository(_db.DataSource, _writer, _time);
        _metrics = new IngestWriter(_writer);
        _reader = new SeriesReader(_db.DataSource);
        _series = new SeriesRepository(_db.DataSource);
        await _organizations.CreateAsync("acme", "Acme");
        await _organizations.CreateAsync("globex", "Globex");
    }

    public async Task DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None);
        _writer.Dispose();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task AnOrganizationIdIsCreatedOnce()
    {
        Assert.Null(await _organizations.CreateAsync("acme", "Another Acme"));
        Assert.Equal("Acme", (await _organizations.GetAsync("acme"))!.Name);
        Assert.Equal(["acme", "globex"], (await _organizations.ListAsync()).Select(o => o.Id));
    }

    [Fact]
    public async Task PointsComeBackInOrderWithinTheRange()
    {
        var points = Enumerable.Range(0, 10).Select(i => new MetricPoint("cpu", T0.AddMinutes(i), i * 1.5)).Reverse().ToList();
        var result = await _metrics.IngestAsync("acme", points);
        Assert.Equal(10, result.Inserted);
        Assert.Equal(0, result.Updated);

        var read = await _reader.ReadPointsAsync(result.SeriesIds[0], T0.AddMinutes(2), T0.AddMinutes(5), 100);
        Assert.Equal([3.0, 4.5, 6.0], read.Select(p => p.Value));
        Assert.Equal(T0.AddMinutes(2), read[0].Timestamp);
    }

    [Fact]
    public async Task DimensionOrderDoesNotMakeASecondSeries()
    {
        var a = await _metrics.IngestAsync("acme", [new MetricPoint("cpu", T0, 1, new Dictionary<string, string> { ["host"] = "a", ["dc"] = "eu" })]);
        var b = await _metrics.IngestAsync("acme", [new MetricPoint("cpu", T0.AddMinutes(1), 2, new Dictionary<string, string> { ["dc"] = "eu", ["host"] = "a" })]);
        Assert.Equal(a.SeriesIds, b.SeriesIds);
        var series = Assert.Single(await _series.ListAsync("acme"));
        Assert.Equal(2, series.PointCount);
        Assert.Equal(new Dictionary<string, string> { ["dc"] = "eu", ["host"] = "a" }, series.Dimensions);

        await using var connection = await _db.DataSource.OpenConnectionAsync();
        Assert.Equal("{\"dc\":\"eu\",\"host\":\"a\"}", await connection.ExecuteScalarAsync<string>("SELECT dimensions FROM time_series"));
    }

    [Fact]
    public async Task TheSameSeriesAndTimestampAgainReplacesTheValueAndCountsAsUpdated()
    {
        await _metrics.IngestAsync("acme", [new MetricPoint("cpu", T0, 1), new MetricPoint("cpu", T0.AddMinutes(1), 2)]);
        var again = await _metrics.IngestAsync("acme", [new MetricPoint("cpu", T0, 10), new MetricPoint("cpu", T0.AddMinutes(2), 3)]);
        Assert.Equal(1, again.Inserted);
        Assert.Equal(1, again.Updated);

        var series = Assert.Single(await _series.ListAsync("acme"));
        Assert.Equal(3, series.PointCount);
        Assert.Equal(T0, series.FirstTimestamp);
        Assert.Equal(T0.AddMinutes(2), series.LastTimestamp);
        Assert.Equal(60, series.ResolutionSeconds);
        var read = await _reader.ReadPointsAsync(series.Id, T0, T0.AddHours(1), 10);
        Assert.Equal([10.0, 2.0, 3.0], read.Select(p => p.Value));
    }

    [Fact]
    public async Task ABatchForAnUnknownOrganizationWritesNothing()
    {
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            _metrics.IngestAsync("nobody", [new MetricPoint("cpu", T0, 1)]));
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM time_series"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM metrics"));
    }

    [Fact]
    public async Task AnotherOrganizationsSeriesIsInvisible()
    {
        var result = await _metrics.IngestAsync("acme", [new MetricPoint("cpu", T0, 1)]);
        Assert.Null(await _series.GetAsync("globex", result.SeriesIds[0]));
        Assert.Empty(await _series.ListAsync("globex"));
        Assert.NotNull(await _series.GetAsync("acme", result.SeriesIds[0]));
    }

    [Fact]
    public async Task ForeignKeysAreEnforcedOnEveryConnection()
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(
            "INSERT INTO time_series (organization_id, metric_key, dimensions, created_at, updated_at) VALUES ('nobody', 'cpu', '{}', 'x', 'x')"));
        if (backend == TestBackend.File)
        {
            // sqld manages its own journal and refuses PRAGMA busy_timeout; on the file we set both.
            Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
            Assert.True(await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout") > 0);
        }
    }
}

public sealed class RepositoryFileTests() : RepositoryTests(TestBackend.File);

public sealed class RepositorySqldTests() : RepositoryTests(TestBackend.Sqld);
