using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntentVision.Api.Tests;

public sealed class IngestionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task PostedPointsComeBackFromTheSeriesAndKeepItCurrent()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var t0 = TestData.T0;
        var seriesId = await tenant.Client.Ingest("http.requests", 60, i => 100.0 + i, new { service = "checkout", region = "eu" });

        var series = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/series?metric=http.requests");
        var only = Assert.Single(series.EnumerateArray());
        Assert.Equal(60, only.GetProperty("pointCount").GetInt64());
        Assert.Equal(60, only.GetProperty("resolutionSeconds").GetInt64());
        Assert.Equal(t0, only.GetProperty("firstTimestamp").GetDateTimeOffset());
        Assert.Equal(t0.AddMinutes(59), only.GetProperty("lastTimestamp").GetDateTimeOffset());
        Assert.Equal("eu", only.GetProperty("dimensions").GetProperty("region").GetString());

        var from = Uri.EscapeDataString(t0.AddMinutes(10).ToString("O"));
        var to = Uri.EscapeDataString(t0.AddMinutes(20).ToString("O"));
        var read = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{seriesId}/points?from={from}&to={to}");
        var values = read.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToList();
        Assert.Equal(Enumerable.Range(110, 10).Select(v => (double)v), values);

        // One point at a time (as a scrape arrives) still extends the aggregates.
        await tenant.Client.Ingest("http.requests", 1, _ => 1, new { service = "checkout", region = "eu" }, t0.AddMinutes(60));
        var after = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{seriesId}");
        Assert.Equal(61, after.GetProperty("pointCount").GetInt64());
        Assert.Equal(t0.AddMinutes(60), after.GetProperty("lastTimestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task SendingAPointAgainUpdatesItAndSaysSo()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var point = new { metric = "cpu", timestamp = TestData.T0, value = 1.0 };
        await tenant.Client.PostAsJsonAsync("/api/metrics", new { points = new[] { point } });
        var again = await (await tenant.Client.PostAsJsonAsync("/api/metrics", new { points = new[] { point with { value = 2.0 }, point with { value = 3.0 } } })).Json();
        Assert.Equal(0, again.GetProperty("inserted").GetInt32());
        Assert.Equal(2, again.GetProperty("updated").GetInt32());
        var seriesId = again.GetProperty("seriesIds")[0].GetInt64();
        var read = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{seriesId}/points");
        Assert.Equal(3.0, Assert.Single(read.GetProperty("points").EnumerateArray()).GetProperty("value").GetDouble());
        Assert.Equal(1, (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{seriesId}")).GetProperty("pointCount").GetInt64());
    }

    public static TheoryData<string, string> BadBatches => new()
    {
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1},{\"metric\":\"cpu\",\"value\":2}]}", "points[1].timestamp" },
        { "{\"points\":[{\"metric\":\"9cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1}]}", "points[0].metric" },
        { "{\"points\":[{\"metric\":\"cpu'; DROP TABLE metrics;--\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1}]}", "points[0].metric" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1,\"dimensions\":{\"x' OR 1=1--\":\"a\"}}]}", "points[0].dimensions" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1,\"dimensions\":{\"host\":null}}]}", "points[0].dimensions.host" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\"}]}", "points[0].value" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2999-01-01T00:00:00Z\",\"value\":1}]}", "points[0].timestamp" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"1960-01-01T00:00:00Z\",\"value\":1}]}", "points[0].timestamp" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1,\"dimensions\":{\"bad key\":\"x\"}}]}", "points[0].dimensions" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1,\"dimensions\":{" + string.Join(",", Enumerable.Range(0, 17).Select(i => $"\"d{i}\":\"v\"")) + "}}]}", "points[0].dimensions" },
        { "{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1,\"dimensions\":{\"host\":\"" + new string('x', 300) + "\"}}]}", "points[0].dimensions.host" },
        { "{\"points\":[null]}", "points[0]" },
        { "{\"points\":[]}", "points" },
        { "{}", "points" },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task ABadBatchIs400NamingIndexAndFieldAndWritesNothing(string body, string field)
    {
        var tenant = await factory.NewTenant("ingest:write");
        var response = await tenant.Client.PostAsync("/api/metrics", TestData.JsonBody(body.Replace("2026-01-01T00:00:00Z", TestData.T0.ToString("O"), StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Json();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {problem}");
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
        Assert.Equal(0, await TestData.Count(factory.DataSource, "time_series", tenant.Id));
    }

    [Theory]
    [InlineData("{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":\"high\"}]}", "$.points[0].value")]
    [InlineData("{\"points\":[{\"metric\":\"cpu\",", "$.points[0]")]
    [InlineData("{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"yesterday\",\"value\":1}]}", "$.points[0].timestamp")]
    [InlineData("{\"points\":[{\"metric\":42,\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1}]}", "$.points[0].metric")]
    [InlineData("{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":NaN}]}", "$.points[0].value")]
    [InlineData("{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1e999}]}", "$.points[0].value")]
    [InlineData("{\"points\":{\"metric\":\"cpu\"}}", "$.points")]
    public async Task UnreadableJsonIs400WithThePathAndWritesNothing(string body, string path)
    {
        var tenant = await factory.NewTenant("ingest:write");
        var response = await tenant.Client.PostAsync("/api/metrics", TestData.JsonBody(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Json();

        // A number too large for a double is read as infinity, which validation then names instead of the reader.
        Assert.True(
            problem.TryGetProperty("field", out var at) ? at.GetString() == path : problem.GetProperty("errors").TryGetProperty(path[2..], out _),
            problem.ToString());
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task ABodyOverTheStatedSizeIs413AndWritesNothing()
    {
        var tenant = await factory.NewTenant("ingest:write");
        var huge = "{\"points\":[" + string.Join(",", Enumerable.Repeat("{\"metric\":\"cpu\",\"timestamp\":\"" + TestData.T0.ToString("O") + "\",\"value\":1,\"dimensions\":{\"pad\":\"" + new string('x', 200) + "\"}}", 40_000)) + "]}";
        var response = await tenant.Client.PostAsync("/api/metrics", TestData.JsonBody(huge));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        // Without a declared length the body is counted as it is read.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/metrics") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await tenant.Client.SendAsync(request)).StatusCode);
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task MoreThan10000PointsIs400()
    {
        var tenant = await factory.NewTenant("ingest:write");
        var response = await tenant.Client.PostAsJsonAsync("/api/metrics", TestData.Points("cpu", 10_001, i => i, start: TestData.T0, step: TimeSpan.FromSeconds(1)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 10000", (await response.Json()).GetProperty("errors").GetProperty("points")[0].GetString());
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task TenThousandPointsInOneBatchAreStored()
    {
        var tenant = await factory.NewTenant("ingest:write");
        var response = await tenant.Client.PostAsJsonAsync("/api/metrics", TestData.Points("cpu", 10_000, i => i, start: TestData.T0, step: TimeSpan.FromSeconds(1)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10_000, (await response.Json()).GetProperty("inserted").GetInt32());
        Assert.Equal(10_000, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task PartialAcceptanceStoresTheGoodPointsAndReportsTheBad()
    {
        var tenant = await factory.NewTenant("ingest:write");
        var body = new
        {
            points = new object[]
            {
                new { metric = "cpu", timestamp = TestData.T0, value = 1.0 },
                new { metric = "9bad", timestamp = TestData.T0, value = 1.0 },
                new { metric = "cpu", timestamp = TestData.T0.AddMinutes(1), value = 2.0 },
            },
        };
        var response = await tenant.Client.PostAsJsonAsync("/api/metrics?partial=true", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Json();
        Assert.Equal(2, result.GetProperty("inserted").GetInt32());
        Assert.Equal(1, result.GetProperty("rejected").GetInt32());
        Assert.True(result.GetProperty("errors").TryGetProperty("points[1].metric", out _));
        Assert.Equal(2, await TestData.Count(factory.DataSource, "metrics", tenant.Id));

        var whole = await tenant.Client.PostAsJsonAsync("/api/metrics", body);
        Assert.Equal(HttpStatusCode.BadRequest, whole.StatusCode);
    }

    [Fact]
    public async Task ARetryWithTheSameIdempotencyKeyIsAnsweredTheSameWithoutWriting()
    {
        var tenant = await factory.NewTenant("ingest:write");
        var body = TestData.Points("cpu", 5, i => i);
        async Task<HttpResponseMessage> Post(object content, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/metrics") { Content = JsonContent.Create(content) };
            request.Headers.Add("Idempotency-Key", key);
            return await tenant.Client.SendAsync(request);
        }

        var first = await Post(body, "batch-0001");
        var firstJson = await first.Json();
        Assert.Equal(5, firstJson.GetProperty("inserted").GetInt32());
        var retry = await Post(body, "batch-0001");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotency-Replayed").Single());
        var retryJson = await retry.Json();
        Assert.Equal(5, retryJson.GetProperty("inserted").GetInt32());
        Assert.Equal(0, retryJson.GetProperty("updated").GetInt32());

        var misuse = await Post(TestData.Points("cpu", 6, i => i), "batch-0001");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, misuse.StatusCode);

        // Keys are per organization: another tenant's identical key is a new request.
        var other = await factory.NewTenant("ingest:write");
        using var otherRequest = new HttpRequestMessage(HttpMethod.Post, "/api/metrics") { Content = JsonContent.Create(body) };
        otherRequest.Headers.Add("Idempotency-Key", "batch-0001");
        var otherResponse = await other.Client.SendAsync(otherRequest);
        Assert.False(otherResponse.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(5, (await otherResponse.Json()).GetProperty("inserted").GetInt32());

        Assert.Equal(HttpStatusCode.BadRequest, (await Post(body, "has space")).StatusCode);
        Assert.Equal(5, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task ARetryThroughTheOtherRouteFormIsTheSameRequest()
    {
        var tenant = await factory.NewTenant("ingest:write");
        using var admin = factory.Admin();
        var body = TestData.Points("cpu", 5, i => i);
        using var first = new HttpRequestMessage(HttpMethod.Post, $"/api/organizations/{tenant.Id}/metrics") { Content = JsonContent.Create(body) };
        first.Headers.Add("Idempotency-Key", "both-forms-1");
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(first)).StatusCode);

        using var retry = new HttpRequestMessage(HttpMethod.Post, "/api/metrics") { Content = JsonContent.Create(body) };
        retry.Headers.Add("Idempotency-Key", "both-forms-1");
        var replayed = await tenant.Client.SendAsync(retry);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(5, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task CsvUploadsAreIngestedWithDimensionColumns()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var csv = new StringBuilder("timestamp,metric,value,host,region\n");
        for (var i = 0; i < 10; i++)
        {
            csv.Append(TestData.T0.AddMinutes(i).ToString("O")).Append(",cpu,").Append(i).Append(",\"web,1\",eu\n");
        }

        csv.Append(TestData.T0.AddMinutes(10).ToUnixTimeSeconds()).Append(",cpu,10,\"web,1\",\n");
        var response = await tenant.Client.PostAsync("/api/metrics/csv", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(11, (await response.Json()).GetProperty("inserted").GetInt32());
        var series = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/series?metric=cpu");
        Assert.Equal(2, series.GetArrayLength());
        Assert.Contains(series.EnumerateArray(), s => s.GetProperty("dimensions").GetProperty("host").GetString() == "web,1" && s.GetProperty("pointCount").GetInt64() == 10);
    }

    [Theory]
    [InlineData("metric,value\ncpu,1\n", "header")]
    [InlineData("timestamp,metric,value\n2026-01-01T00:00:00Z,cpu,high\n", "rows[0].value")]
    [InlineData("timestamp,metric,value\nnot-a-time,cpu,1\n", "rows[0].timestamp")]
    [InlineData("timestamp,metric,value\n2026-01-01T00:00:00Z,cpu\n", "rows[0]")]
    [InlineData("timestamp,metric,value,bad key\n2026-01-01T00:00:00Z,cpu,1,x\n", "rows[0].dimensions")]
    public async Task BadCsvIs400NamingTheRowAndWritesNothing(string csv, string field)
    {
        var tenant = await factory.NewTenant("ingest:write");
        var response = await tenant.Client.PostAsync("/api/metrics/csv", new StringContent(csv.Replace("2026-01-01T00:00:00Z", TestData.T0.ToString("O"), StringComparison.Ordinal), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task WrongContentTypesAre415()
    {
        var tenant = await factory.NewTenant("ingest:write");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await tenant.Client.PostAsync("/api/metrics", new StringContent("a,b", Encoding.UTF8, "text/csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await tenant.Client.PostAsync("/api/metrics/csv", TestData.JsonBody("{}"))).StatusCode);
    }
}
