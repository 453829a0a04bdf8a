using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace IntentVision.AppHost.Tests;

/// <summary>The app model as built (not started) for each database mode: resources, references, waits, environment.</summary>
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

    private static IResource Resource(DistributedApplicationModel model, string name) =>
        Assert.Single(model.Resources, r => r.Name == name);

    private static async Task<Dictionary<string, string>> Environment(IResource resource)
    {
        var values = await ((IResourceWithEnvironment)resource).GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
        return values.ToDictionary(v => v.Key, v => v.Value);
    }

    [Fact]
    public async Task Embedded_mode_has_migrator_api_and_dashboard_in_order()
    {
        var path = Path.Combine(Path.GetTempPath(), "apphost-model-test.db");
        var model = await BuildModel("--Database:Mode=embedded", $"--Database:Path={path}");

        var migrator = Resource(model, "migrator");
        var api = Resource(model, "api");
        var dashboard = Resource(model, "dashboard");
        Assert.Contains(migrator.Annotations.OfType<CommandLineArgsCallbackAnnotation>(), _ => true);

        var apiWaits = api.Annotations.OfType<WaitAnnotation>().ToList();
        Assert.Contains(apiWaits, w => w.Resource.Name == "migrator" && w.WaitType == WaitType.WaitForCompletion);
        Assert.Contains(dashboard.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "api");

        var migratorEnvironment = await Environment(migrator);
        Assert.Equal($"file:{path}", migratorEnvironment["ConnectionStrings__intentvision"]);
        Assert.Equal($"file:{path}", (await Environment(api))["ConnectionStrings__intentvision"]);
        Assert.False((await Environment(dashboard)).ContainsKey("ConnectionStrings__intentvision"));
        Assert.Contains((await Environment(dashboard)).Keys, k => k.StartsWith("services__api__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_default_embedded_file_is_the_repositorys_db_folder()
    {
        var model = await BuildModel("--Database:Mode=embedded");
        var url = (await Environment(Resource(model, "api")))["ConnectionStrings__intentvision"];
        Assert.StartsWith("file:/", url);
        Assert.EndsWith(Path.Combine("db", "intentvision.db"), url);
    }

    [Fact]
    public async Task An_unknown_mode_is_refused_with_the_choices()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => BuildModel("--Database:Mode=cloud"));
        Assert.Contains("auto, container, process, embedded, turso", e.ToString());
    }
}
