using System.Net;
using IntentVision.Api.Ingestion;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IntentVision.Evaluation.Nab;

/// <summary>
/// The real API (IntentVision.Api's own Program) on Kestrel bound to 127.0.0.1, on a migrated temporary <c>file:</c>
/// database, with a known bootstrap admin key, its background jobs off (detection runs on the ingest path) and no
/// request or ingest quotas.
/// </summary>
public sealed class InProcessApi : IAsyncDisposable
{
    public const string AdminKey = "nab-evaluation-admin-key-0123456789abcdef";

    private readonly WebApplicationFactory<IngestionService> _factory;
    private readonly string _directory;

    private InProcessApi(WebApplicationFactory<IngestionService> factory, string directory, Uri baseAddress)
    {
        _factory = factory;
        _directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<InProcessApi> StartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("intentvision-nab-").FullName;
        var database = "file:" + Path.Combine(directory, "nab.db");
        await using (var dataSource = LibSqlDataSource.Create(database))
        {
            await new MigrationRunner(dataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System).RunAsync(cancellationToken: cancellationToken);
        }

        var factory = new WebApplicationFactory<IngestionService>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:intentvision", database);
            b.UseSetting("IntentVision:BootstrapAdminKey", AdminKey);
            b.UseSetting("IntentVision:Jobs:Forecast:Enabled", "false");
            b.UseSetting("IntentVision:Jobs:Alerting:Enabled", "false");
            b.UseSetting("IntentVision:Jobs:Prometheus:Enabled", "false");
            b.UseSetting("Logging:LogLevel:Default", "Warning");

            // One key streams a whole corpus as fast as the API takes it: the request and ingest quotas that protect a
            // shared API from one tenant are not what this measures.
            b.UseSetting("IntentVision:Limits:RequestsPerSecondPerKey", "0");
            b.UseSetting("IntentVision:Limits:RequestsPerSecondPerOrganization", "0");
            b.UseSetting("IntentVision:Limits:IngestPointsPerMinutePerKey", "0");
            b.UseSetting("IntentVision:Limits:IngestPointsPerMinutePerOrganization", "0");
        });
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        using var client = factory.CreateClient();
        return new InProcessApi(factory, directory, client.BaseAddress!);
    }

    public async ValueTask DisposeAsync()
    {
        // The API's data source is disposed with it, which closes its pooled file handles.
        await _factory.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
