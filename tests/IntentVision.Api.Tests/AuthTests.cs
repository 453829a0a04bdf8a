using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntentVision.Api.Tests;

public abstract class AuthTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    [Fact]
    public async Task HealthAndTheApiDescriptionNeedNoKey()
    {
        using var anonymous = factory.Client(null);
        var health = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var report = await health.Json();
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("database-writes").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/scalar")).StatusCode);

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/organizations", "/api/migrations" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        // Every organization route in both forms: the key's own organization and the one named in the path.
        foreach (var resource in new[] { "/metrics", "/metrics/csv", "/series", "/series/{seriesId}/points", "/forecasts", "/anomalies", "/alert-rules", "/alerts", "/sources", "/keys" })
        {
            Assert.True(paths.TryGetProperty("/api" + resource, out _), "/api" + resource);
            Assert.True(paths.TryGetProperty("/api/organizations/{organizationId}" + resource, out var named), "/api/organizations/{organizationId}" + resource);
            var operation = named.EnumerateObject().First(o => o.Name is "get" or "post").Value;
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "organizationId" && p.GetProperty("in").GetString() == "path");
            Assert.EndsWith("ForOrganization", operation.GetProperty("operationId").GetString());
        }

        var ownForm = paths.GetProperty("/api/series").GetProperty("get");
        Assert.Contains(ownForm.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "X-IntentVision-Organization" && p.GetProperty("in").GetString() == "header");
        var operationIds = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).Select(o => o.Value.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(operationIds.Count, operationIds.Distinct().Count());

        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ivk_not-a-key-that-exists-000000000000000")]
    [InlineData("short")]
    public async Task AMissingOrWrongKeyIs401ProblemDetails(string? key)
    {
        using var client = factory.Client(key);
        foreach (var path in new[] { "/api/series", "/api/migrations", "/api/organizations", "/api/alerts" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(401, (await response.Json()).GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task TheKeyMayAlsoComeInXApiKey()
    {
        var tenant = await factory.NewTenant("metrics:read");
        using var client = factory.Client(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", tenant.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/series")).StatusCode);
    }

    [Fact]
    public async Task AMissingScopeIs403NamingIt()
    {
        var reader = await factory.NewTenant("metrics:read");
        var response = await reader.Client.PostAsJsonAsync("/api/metrics", TestData.Points("cpu", 1, _ => 1));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Json();
        Assert.Contains("ingest:write", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", reader.Id));

        var writer = await factory.NewTenant("ingest:write");
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.Client.GetAsync("/api/series")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.Client.GetAsync("/api/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.Client.PostAsJsonAsync("/api/organizations", new { id = "nope-org", name = "x" })).StatusCode);
    }

    [Fact]
    public async Task KeysAreShownOnceStoredAsHashesAndRevokedAtOnce()
    {
        var tenant = await factory.NewTenant("admin");
        var created = await tenant.Client.PostAsJsonAsync("/api/keys", new { name = "ingester", scopes = new[] { "ingest:write" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Json();
        var key = body.GetProperty("key").GetString()!;
        Assert.StartsWith("ivk_", key);
        Assert.True(key.Length >= 40);
        Assert.Equal(key[..12], body.GetProperty("prefix").GetString());

        var list = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/keys");
        Assert.DoesNotContain(key, list.ToString());
        await using (var connection = await factory.DataSource.OpenConnectionAsync())
        {
            var stored = string.Join("|", await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT id || name || prefix || key_hash || scopes FROM api_keys"));
            Assert.DoesNotContain(key, stored);
        }

        using var ingester = factory.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await ingester.PostAsJsonAsync("/api/metrics", TestData.Points("cpu", 1, _ => 1))).StatusCode);
        var listed = (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/keys")).EnumerateArray().Single(k => k.GetProperty("id").GetString() == body.GetProperty("id").GetString());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);

        var revoke = await tenant.Client.DeleteAsync($"/api/keys/{body.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.NotEqual(JsonValueKind.Null, (await revoke.Json()).GetProperty("revokedAt").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ingester.PostAsJsonAsync("/api/metrics", TestData.Points("cpu", 1, _ => 1))).StatusCode);
    }

    [Fact]
    public async Task BadKeyRequestsAre400NamingTheField()
    {
        var tenant = await factory.NewTenant("admin");
        var response = await tenant.Client.PostAsJsonAsync("/api/keys", new { name = "", scopes = new[] { "root" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Json()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("scopes[0]", out _));
    }

    [Fact]
    public async Task ThePlatformAdminCreatesOrganizationsAndNamesTheOneItActsFor()
    {
        using var admin = factory.Admin();
        var id = "plat-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/organizations", new { id, name = "Platform made" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/organizations", new { id, name = "Again" })).StatusCode);
        Assert.Contains((await admin.GetFromJsonAsync<JsonElement>("/api/organizations")).EnumerateArray(), o => o.GetProperty("id").GetString() == id);

        // Without naming an organization an organization route cannot know whose data is meant.
        var unnamed = await admin.GetAsync("/api/series");
        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        Assert.Contains("X-IntentVision-Organization", (await unnamed.Json()).GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/organizations/ghost-org/series")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/organizations/{id}/series")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/series");
        request.Headers.Add("X-IntentVision-Organization", id);
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("{\"id\":\"A B\",\"name\":\"x\"}", "id")]
    [InlineData("{\"id\":\"okay-id\"}", "name")]
    [InlineData("{}", "id")]
    public async Task ABadOrganizationIs400NamingTheField(string body, string field)
    {
        using var admin = factory.Admin();
        var response = await admin.PostAsync("/api/organizations", TestData.JsonBody(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task AnOrganizationKeySeesOnlyItsOwnOrganization()
    {
        var a = await factory.NewTenant("metrics:read");
        var b = await factory.NewTenant("metrics:read");
        var list = await a.Client.GetFromJsonAsync<JsonElement>("/api/organizations");
        Assert.Equal(a.Id, Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await a.Client.GetAsync($"/api/organizations/{a.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.GetAsync($"/api/organizations/{b.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.GetAsync($"/api/organizations/{b.Id}/series")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/series");
        request.Headers.Add("X-IntentVision-Organization", b.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task MigrationStateIsForAdminsAndOnlyThePlatformSeesTheDatabase()
    {
        var ingester = await factory.NewTenant("ingest:write", "metrics:read");
        var forbidden = await ingester.Client.GetAsync("/api/migrations");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        var info = IntentVision.LibSql.LibSqlConnectionInfo.Parse(factory.DatabaseUrl);
        Assert.DoesNotContain(info.Url, await forbidden.Content.ReadAsStringAsync());

        // An organization's admin sees the schema, never where the data lives or what runs it.
        var admin = await factory.NewTenant("admin");
        var tenantView = await admin.Client.GetFromJsonAsync<JsonElement>("/api/migrations");
        Assert.True(tenantView.GetProperty("isCurrent").GetBoolean());
        Assert.Equal("001_initial_schema", tenantView.GetProperty("applied")[0].GetProperty("name").GetString());
        foreach (var hidden in new[] { "databaseUrl", "backend", "engineVersion", "lock" })
        {
            Assert.Equal(JsonValueKind.Null, tenantView.GetProperty(hidden).ValueKind);
        }

        Assert.DoesNotContain(info.Url, tenantView.ToString());

        using var platform = factory.Admin();
        var state = await platform.GetFromJsonAsync<JsonElement>("/api/migrations");
        Assert.True(state.GetProperty("isCurrent").GetBoolean());
        Assert.Equal(0, state.GetProperty("pending").GetArrayLength());
        Assert.Matches(@"^3\.\d+\.\d+", state.GetProperty("engineVersion").GetString());
        var catalog = IntentVision.Data.Migrations.MigrationCatalog.FromEmbeddedResources();
        Assert.Equal(catalog.Migrations[^1].Name, state.GetProperty("lastAppliedName").GetString());
        Assert.True(state.GetProperty("totalDurationMs").GetDouble() > 0);

        // The URL as configured, never with the token that sqld needs.
        Assert.Equal(info.Url, state.GetProperty("databaseUrl").GetString());
        if (info.AuthToken is not null)
        {
            Assert.DoesNotContain(info.AuthToken, state.ToString());
        }
    }

    [Fact]
    public async Task KeysNeverAppearInTheLogs()
    {
        var tenant = await factory.NewTenant("admin");
        using var wrong = factory.Client("ivk_wrong-key-that-must-not-be-logged-0000000");
        await wrong.GetAsync("/api/series");
        await tenant.Client.PostAsJsonAsync("/api/metrics", TestData.Points("cpu", 3, i => i));
        await tenant.Client.GetAsync("/api/series");
        var logs = string.Join("\n", factory.Logs);
        Assert.NotEmpty(factory.Logs);
        Assert.DoesNotContain(tenant.Key, logs);
        Assert.DoesNotContain(ApiFactory.AdminKey, logs);
        Assert.DoesNotContain("ivk_wrong-key-that-must-not-be-logged", logs);
    }
}

public sealed class AuthTestsOnFile(ApiFactory factory) : AuthTests<ApiFactory>(factory);

public sealed class AuthTestsOnSqld(SqldApiFactory factory) : AuthTests<SqldApiFactory>(factory);
