using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntentVision.AppHost;

/// <summary>
/// Chooses and declares the database from <c>Database:Mode</c>, so Program.cs reads like the topology.
/// Every service gets the connection string <c>intentvision</c>; a server, when there is one, is waited for
/// with <see cref="WaitBehavior.StopOnResourceUnavailable"/> so nothing hangs on a part that cannot start.
/// The servers come from the libSQL hosting integration (IntentVision.Aspire.Hosting.LibSql): in process and
/// container modes sqld runs with JWT authentication, exactly as Turso does (a fresh Ed25519 key pair, the public key
/// to sqld, a signed token to the services as the secret parameter <c>database-token</c>), and is ready when it runs
/// a Hrana statement with that token.
/// </summary>
public static class DatabaseResourceExtensions
{
    public const string ConnectionName = "intentvision";
    public const string ServerName = "database";
    public const string TursoName = "turso";

    public static IntentVisionDatabase AddIntentVisionDatabase(this IDistributedApplicationBuilder builder)
    {
        var mode = ReadMode(builder.Configuration);
        if (mode == DatabaseMode.Auto)
        {
            mode = ContainerRuntime.Answers() ? DatabaseMode.Container : DatabaseMode.Process;
        }

        return mode switch
        {
            DatabaseMode.Embedded => AddEmbedded(builder),
            DatabaseMode.Process => AddSqldProcess(builder),
            DatabaseMode.Container => AddSqldContainer(builder),
            DatabaseMode.Turso => AddTurso(builder),
            _ => throw new InvalidOperationException($"Database:Mode '{mode}' is not supported."),
        };
    }

    public static IResourceBuilder<T> WithIntentVisionDatabase<T>(this IResourceBuilder<T> resource, IntentVisionDatabase database)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        resource.WithReference(database.ConnectionString, ConnectionName);
        if (database.Server is not null)
        {
            resource.WaitFor(database.Server, WaitBehavior.StopOnResourceUnavailable);
        }

        return resource;
    }

    /// <summary>Logs the resource's first http URL once it is healthy, so `dotnet run` says where to go.</summary>
    public static IResourceBuilder<T> AnnounceUrlWhenReady<T>(this IResourceBuilder<T> resource, string what)
        where T : IResourceWithEndpoints
    {
        resource.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(resource.Resource, (e, _) =>
        {
            var url = resource.Resource.GetEndpoint("http").Url;
            e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IntentVision.AppHost").LogInformation("{What} is ready at {Url}", what, url);
            return Task.CompletedTask;
        });
        return resource;
    }

    internal static DatabaseMode ReadMode(IConfiguration configuration)
    {
        var text = configuration["Database:Mode"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DatabaseMode.Auto;
        }

        return Enum.TryParse<DatabaseMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new InvalidOperationException($"Database:Mode '{text}' is not one of: auto, container, process, embedded, turso.");
    }

    private static string RepositoryRoot(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));

    private static IntentVisionDatabase AddEmbedded(IDistributedApplicationBuilder builder)
    {
        // An absolute path, so the migrator and the API (each with its own working directory) open the same file.
        var path = builder.Configuration["Database:Path"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, builder.AppHostDirectory)
            : Path.Combine(RepositoryRoot(builder), "db", "intentvision.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = builder.AddConnectionString(ConnectionName, ReferenceExpression.Create($"file:{path}"));
        return new IntentVisionDatabase(DatabaseMode.Embedded, connection, Server: null);
    }

    private static IntentVisionDatabase AddSqldProcess(IDistributedApplicationBuilder builder)
    {
        var root = RepositoryRoot(builder);
        var binary = SqldInstallation.EnsureInstalled(root);

        // Kept across restarts in a git-ignored folder of the repository (tests point it at a temporary one).
        var dataDirectory = builder.Configuration["Database:DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, builder.AppHostDirectory)
            : Path.Combine(root, ".sqld");
        var sqld = builder.AddLibSqlExecutable(ServerName, binary)
            .WithDataDirectory(Path.Combine(dataDirectory, "intentvision.sqld"))
            .WithJwtAuthentication();
        return new IntentVisionDatabase(DatabaseMode.Process, sqld, sqld);
    }

    private static IntentVisionDatabase AddSqldContainer(IDistributedApplicationBuilder builder)
    {
        var sqld = builder.AddLibSql(ServerName)
            .WithDataVolume("intentvision-sqld-data")
            .WithJwtAuthentication();
        return new IntentVisionDatabase(DatabaseMode.Container, sqld, sqld);
    }

    private static IntentVisionDatabase AddTurso(IDistributedApplicationBuilder builder)
    {
        // Both come from configuration (Parameters:turso-url, Parameters:turso-auth-token) or are asked for by the dashboard.
        var url = builder.AddParameter("turso-url");
        var token = builder.AddParameter("turso-auth-token", secret: true);
        var turso = builder.AddTurso(TursoName, url, token);
        return new IntentVisionDatabase(DatabaseMode.Turso, turso, Server: null);
    }
}
