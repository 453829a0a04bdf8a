using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IntentVision.LibSql;

namespace IntentVision.IntegrationTests;

/// <summary>The whole topology on a real sqld started by the AppHost: migrations and data land in the server.</summary>
[Collection(ProcessTopologyCollection.Name)]
public sealed class ProcessTopologyTests(ProcessTopologyFixture topology)
{
    private async Task<LibSqlDataSource> DatabaseAsync()
    {
        var connectionString = await topology.App.GetConnectionStringAsync("database");
        Assert.NotNull(connectionString);
        var dataSource = LibSqlDataSource.Create(connectionString);
        Assert.Equal(LibSqlBackend.Remote, dataSource.Backend);
        Assert.NotNull(dataSource.Info.AuthToken);
        return dataSource;
    }

    [Fact]
    public async Task TheMigratorAppliedTheSchemaToSqldAndExited0()
    {
        var finished = await topology.WaitForMigratorToFinish();
        Assert.Equal(0, finished.Snapshot.ExitCode);
        using var dataSource = await DatabaseAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal("001_initial_schema", await connection.ExecuteScalarAsync<string>("SELECT name FROM _migrations WHERE version = 1"));
    }

    [Fact]
    public async Task SqldRefusesARequestWithoutTheToken()
    {
        var connectionString = await topology.App.GetConnectionStringAsync("database");
        var info = LibSqlConnectionInfo.Parse(connectionString!);
        using var anonymous = LibSqlDataSource.Create(info.HttpEndpoint!.ToString());
        await using var connection = await anonymous.OpenConnectionAsync();
        var e = await Assert.ThrowsAsync<LibSqlException>(() => connection.ExecuteScalarAsync<long>("SELECT 1"));
        Assert.Contains("401", e.Code ?? e.Message);
    }

    [Fact]
    public async Task DataPostedToTheApiLandsInSqld()
    {
        using var api = topology.App.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", topology.AdminApiKey);
        var org = "proc-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/organizations", new { id = org, name = "Process mode" })).StatusCode);
        var created = await api.PostAsJsonAsync($"/api/organizations/{org}/keys", new { name = "process-mode", scopes = new[] { "ingest:write" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());

        var t0 = DateTimeOffset.UtcNow.AddHours(-2);
        var points = Enumerable.Range(0, 25).Select(i => new { metric = "disk.used", timestamp = t0.AddMinutes(i), value = 1e12 + i, dimensions = new { host = "db-1" } });
        var ingest = await api.PostAsJsonAsync("/api/metrics", new { points });
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        Assert.Equal(25, (await ingest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inserted").GetInt32());

        using var dataSource = await DatabaseAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        var stored = (await connection.QueryAsync<double>(
            "SELECT m.value FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.organization_id = @org ORDER BY m.ts", new { org })).ToList();
        Assert.Equal(Enumerable.Range(0, 25).Select(i => 1e12 + i), stored);
        Assert.Equal("{\"host\":\"db-1\"}", await connection.ExecuteScalarAsync<string>(
            "SELECT dimensions FROM time_series WHERE organization_id = @org", new { org }));
    }

    [Fact]
    public async Task ASpikeStreamedToTheApiComesBackAsAnExplainedAnomaly()
    {
        using var api = topology.App.CreateHttpClient("api");
        await DetectionScenario.RunAsync(api, topology.AdminApiKey, "pdet-");
    }

    [Fact]
    public async Task DetectorStateSurvivesARestartOfTheApi() =>
        await DetectionScenario.StateSurvivesARestartAsync(topology, "prst-");
}
