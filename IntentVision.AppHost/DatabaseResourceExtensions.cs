using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntentVision.AppHost;

/// <summary>
/// Chooses and declares the database from <c>Database:Mode</c>, so Program.cs reads like the topology.
/// Every service gets the connection string <c>intentvision</c>; a server, when there is one, is waited for
/// with <see cref="WaitBehavior.StopOnResourceUnavailable"/> so nothing hangs on a part that cannot start.
/// </summary>
public static class DatabaseResourceExtensions
{
    public const string ConnectionName = "intentvision";

    public static IntentVisionDatabase AddIntentVisionDatabase(this IDistributedApplicationBuilder builder)
    {
        var mode = ReadMode(builder.Configuration);
        return mode switch
        {
            DatabaseMode.Embedded => AddEmbedded(builder),
            _ => throw new InvalidOperationException($"Database:Mode '{mode}' is not available in this build; use 'embedded'."),
        };
    }

    public static IResourceBuilder<T> WithIntentVisionDatabase<T>(this IResourceBuilder<T> resource, IntentVisionDatabase database)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        resource.WithReference(database.ConnectionString);
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
            return DatabaseMode.Embedded;
        }

        return Enum.TryParse<DatabaseMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new InvalidOperationException($"Database:Mode '{text}' is not one of: auto, container, process, embedded, turso.");
    }

    private static IntentVisionDatabase AddEmbedded(IDistributedApplicationBuilder builder)
    {
        // An absolute path, so the migrator and the API (each with its own working directory) open the same file.
        var path = builder.Configuration["Database:Path"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, builder.AppHostDirectory)
            : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "db", "intentvision.db"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = builder.AddConnectionString(ConnectionName, ReferenceExpression.Create($"file:{path}"));
        return new IntentVisionDatabase(DatabaseMode.Embedded, connection, Server: null);
    }
}
