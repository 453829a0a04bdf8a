using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntentVision.IntegrationTests;

[Collection(EmbeddedTopologyCollection.Name)]
public sealed class EmbeddedTopologyTests(EmbeddedTopologyFixture topology)
{
    [Fact]
    public async Task TheMigratorRanFirstAndExited0()
    {
        var finished = await topology.WaitForMigratorToFinish();
        Assert.Equal(0, finished.Snapshot.ExitCode);
        Assert.True(File.Exists(Path.Combine(topology.WorkDirectory, "embedded.db")));
    }

    [Fact]
    public async Task TheApiIsHealthy()
    {
        using var api = topology.App.CreateHttpClient("api");
        var response = await api.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());

        // Readiness proves the write path through the one database writer, not only that the file opens.
        Assert.Equal("Healthy", report.RootElement.GetProperty("checks").GetProperty("database-writes").GetProperty("status").GetString());
    }

    [Fact]
    public async Task PointsPostedToTheApiComeBackFromIt()
    {
        using var api = topology.App.CreateHttpClient("api");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/organizations")).StatusCode);

        // The AppHost's bootstrap admin key creates the organization and its first key; the org key does the rest.
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", topology.AdminApiKey);
        var org = "it-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/organizations", new { id = org, name = "Integration" })).StatusCode);
        var created = await api.PostAsJsonAsync($"/api/organizations/{org}/keys", new { name = "integration", scopes = new[] { "ingest:write", "metrics:read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());

        var t0 = DateTimeOffset.UtcNow.AddHours(-1);
        var points = Enumerable.Range(0, 30).Select(i => new { metric = "queue.depth", timestamp = t0.AddMinutes(i), value = i * 2.0, dimensions = new { queue = "orders" } });
        var ingest = await api.PostAsJsonAsync("/api/metrics", new { points });
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        var seriesId = (await ingest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seriesIds")[0].GetInt64();

        var read = await api.GetFromJsonAsync<JsonElement>($"/api/series/{seriesId}/points");
        var values = read.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble());
        Assert.Equal(Enumerable.Range(0, 30).Select(i => i * 2.0), values);
    }

    [Fact]
    public async Task TheDashboardMigrationPageListsTheInitialSchema()
    {
        using var dashboard = topology.App.CreateHttpClient("dashboard");
        var html = await dashboard.GetStringAsync("/migrations");
        Assert.Contains("001_initial_schema", html);
        Assert.Contains("Current", html);
    }

    [Fact]
    public async Task ASpikeStreamedToTheApiComesBackAsAnExplainedAnomaly()
    {
        using var api = topology.App.CreateHttpClient("api");
        await DetectionScenario.RunAsync(api, topology.AdminApiKey, "det-");
    }

    [Fact]
    public async Task DetectorStateSurvivesARestartOfTheApi() =>
        await DetectionScenario.StateSurvivesARestartAsync(topology, "rst-");
}
