using IntentVision.Aspire.LibSql;
using IntentVision.LibSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IntentVision.Aspire.LibSql.Tests;

/// <summary>Where the client integration takes its settings from, which wins, and what it registers.</summary>
public sealed class SettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("libsql-client-").FullName;

    private string FileUrl(string name) => "file:" + Path.Combine(_directory, name);

    private static HostApplicationBuilder NewBuilder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }

    [Fact]
    public void SettingsBindFromTheSection()
    {
        var configuration = NewBuilder(
            ("Aspire:LibSql:Client:ConnectionString", "http://127.0.0.1:1"),
            ("Aspire:LibSql:Client:AuthToken", "t"),
            ("Aspire:LibSql:Client:DisableHealthChecks", "true"),
            ("Aspire:LibSql:Client:DisableTracing", "true"),
            ("Aspire:LibSql:Client:DisableMetrics", "true"),
            ("Aspire:LibSql:Client:HealthCheckTimeout", "00:00:03"),
            ("Aspire:LibSql:Client:CommandTimeout", "00:01:00"),
            ("Aspire:LibSql:Client:BusyTimeout", "00:00:02"),
            ("Aspire:LibSql:Client:PageCacheKib", "8192"),
            ("Aspire:LibSql:Client:IdleStreams", "3"),
            ("Aspire:LibSql:Client:CompressResponses", "true")).Configuration;

        var settings = AspireLibSqlExtensions.ReadSettings(configuration, AspireLibSqlExtensions.DefaultConfigSectionName, "db", null);

        Assert.Equal("http://127.0.0.1:1", settings.ConnectionString);
        Assert.Equal("t", settings.AuthToken);
        Assert.True(settings.DisableHealthChecks && settings.DisableTracing && settings.DisableMetrics);
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2)), (settings.HealthCheckTimeout, settings.CommandTimeout, settings.BusyTimeout));
        Assert.Equal(8192, settings.PageCacheKib);
        Assert.Equal(3, settings.IdleStreams);
        using var dataSource = AspireLibSqlExtensions.CreateDataSource(settings, "db", "s");
        Assert.Equal((3, true), (dataSource.Options.IdleStreams, dataSource.Options.CompressResponses));
    }

    [Fact]
    public async Task ThePageCacheSettingReachesEveryHandleOfAFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"intentvision-aspire-{Guid.NewGuid():N}", "cache.db");
        try
        {
            using var dataSource = AspireLibSqlExtensions.CreateDataSource(new LibSqlClientSettings { ConnectionString = "file:" + path, PageCacheKib = 8192 }, "db", "s");
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new LibSqlCommand("PRAGMA cache_size", connection);
            Assert.Equal(-8192L, await command.ExecuteScalarAsync());
        }
        finally
        {
            try
            {
                Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
            }
            catch (IOException)
            {
                // The OS temp cleaner takes what a lingering handle kept.
            }
        }
    }

    [Fact]
    public void TheConnectionStringOverridesTheSectionAndTheDelegateOverridesBoth()
    {
        var configuration = NewBuilder(
            ("Aspire:LibSql:Client:ConnectionString", "http://section:1"),
            ("ConnectionStrings:db", "http://connection-string:2")).Configuration;
        Assert.Equal("http://connection-string:2", AspireLibSqlExtensions.ReadSettings(configuration, AspireLibSqlExtensions.DefaultConfigSectionName, "db", null).ConnectionString);
        Assert.Equal("http://delegate:3", AspireLibSqlExtensions.ReadSettings(configuration, AspireLibSqlExtensions.DefaultConfigSectionName, "db", s => s.ConnectionString = "http://delegate:3").ConnectionString);
    }

    [Fact]
    public void ATokenInsideTheConnectionStringWinsOverTheAuthTokenSetting()
    {
        using var inside = AspireLibSqlExtensions.CreateDataSource(new LibSqlClientSettings { ConnectionString = "Data Source=http://127.0.0.1:1;Auth Token=inside", AuthToken = "setting" }, "db", "s");
        using var fills = AspireLibSqlExtensions.CreateDataSource(new LibSqlClientSettings { ConnectionString = "http://127.0.0.1:1", AuthToken = "setting" }, "db", "s");
        Assert.Equal("inside", inside.Info.AuthToken);
        Assert.Equal("setting", fills.Info.AuthToken);
    }

    [Fact]
    public async Task AKeyedDataSourceReadsItsOwnSectionAndConnectionString()
    {
        var builder = NewBuilder(
            ("ConnectionStrings:reports", FileUrl("reports.db")),
            ("Aspire:LibSql:Client:reports:CommandTimeout", "00:00:07"));
        builder.AddKeyedLibSqlDataSource("reports");
        using var host = builder.Build();

        var dataSource = host.Services.GetRequiredKeyedService<LibSqlDataSource>("reports");
        Assert.Equal(FileUrl("reports.db"), dataSource.Info.Url);
        Assert.Equal(TimeSpan.FromSeconds(7), dataSource.Options.CommandTimeout);
        await using var connection = host.Services.GetRequiredKeyedService<LibSqlConnection>("reports");
        await connection.OpenAsync();
        Assert.Contains(host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "LibSql_reports");
    }

    [Fact]
    public void AMissingConnectionStringFailsNamingWhereToPutIt()
    {
        var builder = NewBuilder();
        builder.AddLibSqlDataSource("db");
        using var host = builder.Build();
        var e = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<LibSqlDataSource>());
        Assert.Contains("ConnectionStrings:db", e.Message);
        Assert.Contains("Aspire:LibSql:Client", e.Message);
    }

    [Fact]
    public void TheHealthCheckAndTelemetryAreRegisteredUnlessDisabled()
    {
        var on = NewBuilder(("ConnectionStrings:db", FileUrl("on.db")));
        on.AddLibSqlDataSource("db");
        using (var host = on.Build())
        {
            var registration = Assert.Single(host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations);
            Assert.Equal("LibSql", registration.Name);
            Assert.NotNull(host.Services.GetService<TracerProvider>());
            Assert.NotNull(host.Services.GetService<MeterProvider>());
        }

        var off = NewBuilder(("ConnectionStrings:db", FileUrl("off.db")));
        off.AddLibSqlDataSource("db", s =>
        {
            s.DisableHealthChecks = true;
            s.DisableTracing = true;
            s.DisableMetrics = true;
        });
        using (var host = off.Build())
        {
            Assert.Empty(host.Services.GetService<IOptions<HealthCheckServiceOptions>>()?.Value.Registrations ?? []);
            Assert.Null(host.Services.GetService<TracerProvider>());
            Assert.Null(host.Services.GetService<MeterProvider>());
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
