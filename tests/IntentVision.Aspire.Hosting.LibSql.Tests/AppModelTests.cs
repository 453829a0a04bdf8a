using IntentVision.Aspire.Hosting.LibSql;

namespace IntentVision.Aspire.Hosting.LibSql.Tests;

/// <summary>What AddLibSql, AddLibSqlExecutable and AddTurso put in the app model (built, not run).</summary>
public sealed class AppModelTests
{
    private static IDistributedApplicationBuilder NewBuilder() =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions { DisableDashboard = true, Args = [] });

    private static async Task<Dictionary<string, object>> EnvironmentOf(IResource resource)
    {
        var environment = new Dictionary<string, object>();
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource, environment));
        }

        return environment;
    }

    private static async Task<List<string>> ArgumentsOf(IResource resource)
    {
        var args = new List<object>();
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(new CommandLineArgsCallbackContext(args, resource));
        }

        return args.Select(a => a.ToString()!).ToList();
    }

    [Fact]
    public async Task AddLibSqlIsThePinnedServerImageWithAHranaEndpointAndHealthCheck()
    {
        var builder = NewBuilder();
        var sqld = builder.AddLibSql("db");

        var image = Assert.Single(sqld.Resource.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("ghcr.io", "tursodatabase/libsql-server", "v0.24.32"), (image.Registry, image.Image, image.Tag));
        var endpoint = Assert.Single(sqld.Resource.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(("http", "http", 8080), (endpoint.Name, endpoint.UriScheme, endpoint.TargetPort));
        Assert.Equal("primary", (await EnvironmentOf(sqld.Resource))["SQLD_NODE"]);
        Assert.Equal("db_libsql_check", Assert.Single(sqld.Resource.Annotations.OfType<HealthCheckAnnotation>()).Key);
        Assert.Equal("Data Source={db.bindings.http.url}", sqld.Resource.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public void ADataVolumeOrADataDirectoryHoldsTheContainersDatabases()
    {
        var builder = NewBuilder();
        var withVolume = builder.AddLibSql("a").WithDataVolume();
        var volume = Assert.Single(withVolume.Resource.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal((ContainerMountType.Volume, "/var/lib/sqld"), (volume.Type, volume.Target));
        Assert.False(string.IsNullOrEmpty(volume.Source));

        var folder = Directory.CreateTempSubdirectory("libsql-hosting-").FullName;
        var withFolder = builder.AddLibSql("b").WithDataDirectory(folder);
        var bind = Assert.Single(withFolder.Resource.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal((ContainerMountType.BindMount, folder, "/var/lib/sqld"), (bind.Type, bind.Source, bind.Target));
        Directory.Delete(folder);
    }

    [Fact]
    public async Task AddLibSqlExecutableRunsSqldOnLoopbackWithItsDataDirectory()
    {
        var builder = NewBuilder();
        var data = Path.Combine(Path.GetTempPath(), "libsql-hosting-" + Guid.NewGuid().ToString("N"), "db.sqld");
        var sqld = builder.AddLibSqlExecutable("db", "/opt/sqld").WithDataDirectory(data);

        Assert.Equal("/opt/sqld", sqld.Resource.Command);
        Assert.Equal(["--no-welcome", "--db-path", data], await ArgumentsOf(sqld.Resource));
        var listen = Assert.IsAssignableFrom<IManifestExpressionProvider>((await EnvironmentOf(sqld.Resource))["SQLD_HTTP_LISTEN_ADDR"]);
        Assert.Equal("127.0.0.1:{db.bindings.http.targetPort}", listen.ValueExpression);
        Assert.True(Directory.Exists(Path.GetDirectoryName(data)));
        Assert.Contains(sqld.Resource.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "db_libsql_check");
        Directory.Delete(Path.GetDirectoryName(data)!, recursive: true);
    }

    [Fact]
    public async Task JwtAuthenticationGivesSqldThePublicKeyAndTheServicesASecretSignedToken()
    {
        var builder = NewBuilder();
        var sqld = builder.AddLibSql("db").WithJwtAuthentication(TimeSpan.FromHours(1));

        var publicKey = Assert.IsType<string>((await EnvironmentOf(sqld.Resource))["SQLD_AUTH_JWT_KEY"]);
        Assert.Equal(43, publicKey.Length);
        var token = Assert.Single(builder.Resources.OfType<ParameterResource>(), p => p.Name == "db-token");
        Assert.True(token.Secret);
        var jwt = await token.GetValueAsync(CancellationToken.None);
        Assert.Equal(3, jwt!.Split('.').Length);
        Assert.Equal("Data Source={db.bindings.http.url};Auth Token={db-token.value}", sqld.Resource.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task AddTursoHandsOverTheUrlAndTheSecretToken()
    {
        var builder = NewBuilder();
        builder.Configuration["Parameters:url"] = "libsql://db-org.turso.io";
        builder.Configuration["Parameters:token"] = "secret";
        var turso = builder.AddTurso("turso", builder.AddParameter("url"), builder.AddParameter("token", secret: true));

        Assert.Equal("Data Source={url.value};Auth Token={token.value}", turso.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal("Data Source=libsql://db-org.turso.io;Auth Token=secret", await turso.Resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None));
        Assert.Contains(turso.Resource.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "turso_libsql_check");
    }

    [Theory]
    [InlineData("Data Source=http://127.0.0.1:8080;Auth Token=abc", "http://127.0.0.1:8080/", "abc")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/", null)]
    [InlineData("Data Source=libsql://db-org.turso.io;Auth Token=t", "https://db-org.turso.io/", "t")]
    public void TheHealthCheckReadsTheConnectionStringItChecks(string connectionString, string endpoint, string? token)
    {
        var (uri, parsedToken) = LibSqlHealthCheck.Parse(connectionString)!.Value;
        Assert.Equal(endpoint, uri.AbsoluteUri);
        Assert.Equal(token, parsedToken);
    }
}
