using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntentVision.Api.Tests;

public sealed class QueryTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task SeriesAreSearchedByMetricTextAndDimensions()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        await tenant.Client.Ingest("http.latency", 2, i => i, new { service = "checkout", region = "eu" });
        await tenant.Client.Ingest("http.latency", 2, i => i, new { service = "checkout", region = "us" });
        await tenant.Client.Ingest("http.requests", 2, i => i, new { service = "search", region = "eu" });
        await tenant.Client.Ingest("queue.depth", 2, i => i);

        async Task<int> Count(string query) => (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/series" + query)).GetArrayLength();
        Assert.Equal(4, await Count(string.Empty));
        Assert.Equal(2, await Count("?metric=http.latency"));
        Assert.Equal(3, await Count("?search=HTTP"));
        Assert.Equal(2, await Count("?dim.region=eu"));
        Assert.Equal(1, await Count("?metric=http.latency&dim.region=us"));
        Assert.Equal(0, await Count("?dim.region=eu'%20OR%20'1'='1"));
        Assert.Equal(0, await Count("?search=%25"));
        Assert.Equal(2, await Count("?limit=2"));
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.GetAsync("/api/series?dim.bad%20key=x")).StatusCode);
    }

    [Fact]
    public async Task PointsAreBucketedInSqlWithEveryAggregate()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("cpu", 60, i => i);
        async Task<List<double>> Values(string query)
        {
            var read = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{id}/points?{query}");
            return read.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToList();
        }

        // T0 is a whole day, so 10-minute buckets hold points 0-9, 10-19, ...
        Assert.Equal([4.5, 14.5, 24.5, 34.5, 44.5, 54.5], await Values("step=10m&agg=avg"));
        Assert.Equal([0, 10, 20, 30, 40, 50], await Values("step=10m&agg=min"));
        Assert.Equal([9, 19, 29, 39, 49, 59], await Values("step=PT10M&agg=max"));
        Assert.Equal([45, 145, 245, 345, 445, 545], await Values("step=600s&agg=sum"));
        Assert.Equal([10, 10, 10, 10, 10, 10], await Values("step=10m&agg=count"));
        Assert.Equal([9, 19, 29, 39, 49, 59], await Values("step=10m&agg=last"));
        Assert.Equal([29.5], await Values("step=1h"));
        var first = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{id}/points?step=10m&agg=avg")).GetProperty("points")[1].GetProperty("timestamp").GetDateTimeOffset();
        Assert.Equal(TestData.T0.AddMinutes(10), first);
    }

    [Fact]
    public async Task MaxPointsDownsamplesAndKeepsThePeaks()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("cpu", 1000, i => i == 437 ? 1000 : i == 713 ? -1000 : i % 7);
        var read = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{id}/points?maxPoints=100");
        var points = read.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal("minmax", read.GetProperty("mode").GetString());
        Assert.InRange(points.Count, 50, 100);
        Assert.Contains(points, p => p.GetProperty("value").GetDouble() == 1000 && p.GetProperty("timestamp").GetDateTimeOffset() == TestData.T0.AddMinutes(437));
        Assert.Contains(points, p => p.GetProperty("value").GetDouble() == -1000);

        var small = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{id}/points?maxPoints=5000");
        Assert.Equal("raw", small.GetProperty("mode").GetString());
        Assert.Equal(1000, small.GetProperty("points").GetArrayLength());
    }

    [Theory]
    [InlineData("step=0s", "step")]
    [InlineData("step=fast", "step")]
    [InlineData("step=10m&agg=median", "agg")]
    [InlineData("agg=avg", "agg")]
    [InlineData("maxPoints=1", "maxPoints")]
    [InlineData("limit=0", "limit")]
    [InlineData("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("step=1s&from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "step")]
    public async Task BadPointQueriesAre400NamingTheParameter(string query, string field)
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("cpu", 3, i => i);
        var response = await tenant.Client.GetAsync($"/api/series/{id}/points?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task ABucketedReadOfANamedRangeFoldsTheSameBuckets()
    {
        // With from and to (the dashboard's chart read) the series check and the buckets run side by side.
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("cpu.ranged", 60, i => i);
        var range = $"from={Uri.EscapeDataString(TestData.T0.AddMinutes(10).ToString("O"))}&to={Uri.EscapeDataString(TestData.T0.AddMinutes(40).ToString("O"))}";
        var read = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{id}/points?step=10m&agg=avg&{range}");
        Assert.Equal([14.5, 24.5, 34.5], read.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()));
        Assert.Equal(600, read.GetProperty("stepSeconds").GetInt64());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?step=10m&agg=avg")]
    [InlineData("?step=1d&agg=sum&from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z")]
    [InlineData("?maxPoints=10")]
    public async Task AnotherOrganizationsSeriesIs404ForEveryReadShape(string query)
    {
        var owner = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await owner.Client.Ingest("cpu.private", 60, i => i);
        var other = await factory.NewTenant("metrics:read");
        var response = await other.Client.GetAsync($"/api/series/{id}/points{query}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("\"value\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingSeriesIs404()
    {
        var tenant = await factory.NewTenant("metrics:read");
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync("/api/series/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync("/api/series/999999/points")).StatusCode);
    }
}
