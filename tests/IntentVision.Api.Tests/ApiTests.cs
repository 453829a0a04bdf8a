using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;

namespace IntentVision.Api.Tests;

public sealed class ApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<string> NewOrganization()
    {
        var id = "org-" + Guid.NewGuid().ToString("N")[..10];
        var response = await _client.PostAsJsonAsync("/api/organizations", new { id, name = "Test " + id });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    private async Task<long> CountRows(string table, string organizationId)
    {
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE organization_id = @organizationId", new { organizationId });
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Health_includes_the_database()
    {
        var response = await _client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task Organizations_are_created_listed_and_not_duplicated()
    {
        var id = await NewOrganization();
        var list = await _client.GetFromJsonAsync<JsonElement>("/api/organizations");
        Assert.Contains(list.EnumerateArray(), o => o.GetProperty("id").GetString() == id);

        var again = await _client.PostAsJsonAsync("/api/organizations", new { id, name = "Again" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/organizations/no-such-org")).StatusCode);
    }

    [Theory]
    [InlineData("{\"id\":\"A B\",\"name\":\"x\"}", "id")]
    [InlineData("{\"id\":\"okay-id\"}", "name")]
    [InlineData("{}", "id")]
    public async Task A_bad_organization_is_400_naming_the_field(string body, string field)
    {
        var response = await _client.PostAsync("/api/organizations", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Posted_points_come_back_from_the_series()
    {
        var org = await NewOrganization();
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var points = Enumerable.Range(0, 60).Select(i => new
        {
            metric = "http.requests",
            timestamp = t0.AddMinutes(i),
            value = 100.0 + i,
            dimensions = new Dictionary<string, string> { ["service"] = "checkout", ["region"] = "eu" },
        });
        var ingest = await _client.PostAsJsonAsync($"/api/organizations/{org}/metrics", new { points });
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        var result = await Json(ingest);
        Assert.Equal(60, result.GetProperty("inserted").GetInt32());
        var seriesId = result.GetProperty("seriesIds")[0].GetInt64();

        var series = await _client.GetFromJsonAsync<JsonElement>($"/api/organizations/{org}/series?metric=http.requests");
        var only = Assert.Single(series.EnumerateArray());
        Assert.Equal(60, only.GetProperty("pointCount").GetInt64());
        Assert.Equal(60, only.GetProperty("resolutionSeconds").GetInt64());
        Assert.Equal("eu", only.GetProperty("dimensions").GetProperty("region").GetString());

        var from = Uri.EscapeDataString(t0.AddMinutes(10).ToString("O"));
        var to = Uri.EscapeDataString(t0.AddMinutes(20).ToString("O"));
        var read = await _client.GetFromJsonAsync<JsonElement>($"/api/organizations/{org}/series/{seriesId}/points?from={from}&to={to}");
        var values = read.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToList();
        Assert.Equal(Enumerable.Range(110, 10).Select(v => (double)v), values);
        Assert.Equal(t0.AddMinutes(10), read.GetProperty("points")[0].GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task Sending_a_point_again_updates_it()
    {
        var org = await NewOrganization();
        var point = new { metric = "cpu", timestamp = "2026-11-01T00:00:00Z", value = 1.0 };
        await _client.PostAsJsonAsync($"/api/organizations/{org}/metrics", new { points = new[] { point } });
        var again = await Json(await _client.PostAsJsonAsync($"/api/organizations/{org}/metrics", new { points = new[] { point with { value = 2.0 } } }));
        Assert.Equal(0, again.GetProperty("inserted").GetInt32());
        Assert.Equal(1, again.GetProperty("updated").GetInt32());
    }

    public static TheoryData<string, string> BadBatches => new()
    {
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"value\":1},{\"metric\":\"cpu\",\"value\":2}]}", "points[1].timestamp" },
        { "{\"points\":[{\"metric\":\"9cpu\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"value\":1}]}", "points[0].metric" },
        { "{\"points\":[{\"metric\":\"cpu'; DROP TABLE metrics;--\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"value\":1}]}", "points[0].metric" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-11-01T00:00:00Z\"}]}", "points[0].value" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2999-01-01T00:00:00Z\",\"value\":1}]}", "points[0].timestamp" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"1960-01-01T00:00:00Z\",\"value\":1}]}", "points[0].timestamp" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"value\":1,\"dimensions\":{\"bad key\":\"x\"}}]}", "points[0].dimensions" },
        { "{\"points\":[]}", "points" },
        { "{}", "points" },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task A_bad_batch_is_400_naming_index_and_field_and_writes_nothing(string body, string field)
    {
        var org = await NewOrganization();
        var response = await _client.PostAsync($"/api/organizations/{org}/metrics", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {problem}");
        Assert.Equal(0, await CountRows("metrics", org));
        Assert.Equal(0, await CountRows("time_series", org));
    }

    [Theory]
    [InlineData("{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"value\":\"high\"}]}", "$.points[0].value")]
    [InlineData("{\"points\":[{\"metric\":\"cpu\",", "$.points[0]")]
    [InlineData("{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"yesterday\",\"value\":1}]}", "$.points[0].timestamp")]
    public async Task Unreadable_json_is_400_with_the_path(string body, string path)
    {
        var org = await NewOrganization();
        var response = await _client.PostAsync($"/api/organizations/{org}/metrics", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal(path, problem.GetProperty("field").GetString());
        Assert.Equal(0, await CountRows("metrics", org));
    }

    [Fact]
    public async Task Ingest_for_an_unknown_organization_is_404()
    {
        var response = await _client.PostAsJsonAsync("/api/organizations/ghost-org/metrics",
            new { points = new[] { new { metric = "cpu", timestamp = "2026-11-01T00:00:00Z", value = 1.0 } } });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Another_organizations_series_is_404()
    {
        var owner = await NewOrganization();
        var other = await NewOrganization();
        var ingest = await Json(await _client.PostAsJsonAsync($"/api/organizations/{owner}/metrics",
            new { points = new[] { new { metric = "cpu", timestamp = "2026-11-01T00:00:00Z", value = 1.0 } } }));
        var seriesId = ingest.GetProperty("seriesIds")[0].GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/organizations/{other}/series/{seriesId}/points")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/organizations/{other}/series/{seriesId}")).StatusCode);
    }

    [Fact]
    public async Task Migration_state_lists_the_applied_schema()
    {
        var state = await _client.GetFromJsonAsync<JsonElement>("/api/migrations");
        Assert.True(state.GetProperty("isCurrent").GetBoolean());
        Assert.Equal("001_initial_schema", state.GetProperty("applied")[0].GetProperty("name").GetString());
        Assert.Equal(0, state.GetProperty("pending").GetArrayLength());
        Assert.Equal(factory.DatabaseUrl, state.GetProperty("databaseUrl").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoints()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/organizations/{organizationId}/metrics", out _));
        Assert.True(paths.TryGetProperty("/api/migrations", out _));
    }
}
