using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntentVision.Api.Alerting;
using IntentVision.Api.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace IntentVision.Api.Tests;

public abstract class SourcesTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    [Fact]
    public async Task APrometheusSourceScrapesARealOpenTelemetryExporter()
    {
        using var meter = new Meter("IntentVision.Tests.Shop." + Guid.NewGuid().ToString("N"));
        var orders = meter.CreateCounter<long>("shop.orders");
        await using var exporter = await LoopbackServer.StartAsync(
            builder => builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(meter.Name).AddPrometheusExporter()),
            app => app.MapPrometheusScrapingEndpoint());
        orders.Add(3, new KeyValuePair<string, object?>("region", "eu"));
        orders.Add(5, new KeyValuePair<string, object?>("region", "us"));

        var tenant = await factory.NewTenant("admin");
        var created = await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "shop", type = "prometheus", url = exporter.BaseUrl + "/metrics", intervalSeconds = 15 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var sourceId = (await created.Json()).GetProperty("source").GetProperty("id").GetInt64();

        var job = factory.Service<PrometheusScrapeJob>();
        await job.RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var source = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/sources/{sourceId}");
        Assert.NotEqual(JsonValueKind.Null, source.GetProperty("lastAttemptAt").ValueKind);
        Assert.Equal(source.GetProperty("lastAttemptAt").GetDateTimeOffset(), source.GetProperty("lastSuccessAt").GetDateTimeOffset());
        var types = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/sources/{sourceId}/metrics");
        Assert.Contains(types.EnumerateArray(), m => m.GetProperty("metricKey").GetString() == "shop_orders_total" && m.GetProperty("metricType").GetString() == "counter");

        var series = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/series?search=shop_orders");
        var eu = series.EnumerateArray().Single(s => s.GetProperty("dimensions").TryGetProperty("region", out var r) && r.GetString() == "eu");
        var points = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{eu.GetProperty("id").GetInt64()}/points");
        Assert.Equal(3, points.GetProperty("points")[0].GetProperty("value").GetDouble());

        // Not due again within its interval; due after it.
        var before = eu.GetProperty("pointCount").GetInt64();
        await job.RunOnceAsync(DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None);
        Assert.Equal(before, (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{eu.GetProperty("id").GetInt64()}")).GetProperty("pointCount").GetInt64());
        var sync = await tenant.Client.PostAsync($"/api/sources/{sourceId}/sync", null);
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
    }

    [Fact]
    public async Task AFailingScrapeKeepsTheErrorAndTheLastSuccessAndReportsUpZero()
    {
        await using var broken = await LoopbackServer.StartAsync(_ => { }, app => app.MapGet("/metrics", () => Microsoft.AspNetCore.Http.Results.StatusCode(500)));
        var tenant = await factory.NewTenant("admin");
        var created = await (await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "broken", type = "prometheus", url = broken.BaseUrl + "/metrics", intervalSeconds = 60 })).Json();
        var id = created.GetProperty("source").GetProperty("id").GetInt64();
        var synced = await (await tenant.Client.PostAsync($"/api/sources/{id}/sync", null)).Json();
        Assert.Equal("bad_response: HTTP 500", synced.GetProperty("lastError").GetString());
        Assert.NotEqual(JsonValueKind.Null, synced.GetProperty("lastAttemptAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, synced.GetProperty("lastSuccessAt").ValueKind);
        var up = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/series?metric=up&dim.source=broken")).EnumerateArray());
        var points = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{up.GetProperty("id").GetInt64()}/points");
        Assert.Equal(0, points.GetProperty("points")[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public void TheExpositionParserReadsLabelsEscapesTimestampsTypesAndSkipsNonFinite()
    {
        var text = """
            # HELP http_requests_total The total.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",path="a \"quoted\" \\ path"} 3
            rpc_duration_seconds{quantile="0.5"} NaN
            up 1
            temperature -Inf
            """;
        var points = PrometheusTextParser.Parse(text, DateTimeOffset.UnixEpoch.AddDays(1));
        Assert.Equal(3, points.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1395066363000), points[0]!.Timestamp);
        Assert.Equal("a \"quoted\" \\ path", points[1]!.Dimensions!["path"]);
        Assert.Equal("up", points[2]!.Metric);
        var types = PrometheusTextParser.ParseExposition(text, DateTimeOffset.UnixEpoch).SampleTypes;
        Assert.Equal("counter", types["http_requests_total"].Type);
        Assert.Equal("The total.", types["http_requests_total"].Help);
        Assert.Equal("untyped", types["up"].Type);
    }

    [Fact]
    public async Task ACounterIsStoredAsItIsWithARatePerSecondThatHandlesAReset()
    {
        var values = new Queue<double>([100, 160, 10]);
        await using var exporter = await LoopbackServer.StartAsync(_ => { }, app => app.MapGet("/metrics", () => Microsoft.AspNetCore.Http.Results.Text(
            $"# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total{{queue=\"a\"}} {values.Dequeue()}\n# TYPE temperature gauge\ntemperature 21.5\n", "text/plain")));
        var tenant = await factory.NewTenant("admin");
        var created = await (await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "jobs", type = "prometheus", url = exporter.BaseUrl + "/metrics", intervalSeconds = 10 })).Json();
        var sourceId = created.GetProperty("source").GetProperty("id").GetInt64();
        var source = (await factory.Service<IntentVision.Data.Sources.IngestionSourceRepository>().GetAsync(tenant.Id, sourceId))!;
        var scraper = factory.Service<PrometheusScrapeJob>();
        var t = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddHours(-3);
        Assert.Null(await scraper.ScrapeAsync(source, t, CancellationToken.None));
        Assert.Null(await scraper.ScrapeAsync(source, t.AddSeconds(10), CancellationToken.None));
        Assert.Null(await scraper.ScrapeAsync(source, t.AddSeconds(20), CancellationToken.None));

        async Task<double[]> Values(string metric)
        {
            var series = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series?metric={Uri.EscapeDataString(metric)}&dim.queue=a")).EnumerateArray());
            var points = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{series.GetProperty("id").GetInt64()}/points");
            return points.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToArray();
        }

        Assert.Equal(new double[] { 100, 160, 10 }, await Values("jobs_total"));

        // +60 over 10 s, then a reset: the 10 counted since the restart over 10 s, never a negative rate.
        Assert.Equal(new double[] { 6, 1 }, await Values("jobs_total:rate"));
        var types = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/sources/{sourceId}/metrics");
        Assert.Equal(["counter", "gauge"], types.EnumerateArray().Select(m => m.GetProperty("metricType").GetString()));
        var up = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/series?metric=up&dim.source=jobs")).EnumerateArray());
        Assert.Equal(3, up.GetProperty("pointCount").GetInt64());
    }

    [Fact]
    public async Task AWebhookSourceAcceptsFreshSignedPushesOnceAndRefusesReplays()
    {
        var tenant = await factory.NewTenant("admin");
        var created = await (await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "pushes", type = "webhook" })).Json();
        var secret = created.GetProperty("secret").GetString()!;
        var path = created.GetProperty("source").GetProperty("pushPath").GetString()!;
        Assert.DoesNotContain(secret, (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/sources")).ToString());

        var body = JsonSerializer.Serialize(TestData.Points("pushed", 3, i => i));
        using var anonymous = factory.Client(null);
        async Task<HttpResponseMessage> Push(string payload, long timestamp, string signature)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-IntentVision-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-IntentVision-Signature", signature);
            return await anonymous.SendAsync(request);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Push(body, now, "sha256=00")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Push(body, now, WebhookSignature.SignTimestamped("not-the-secret-000", now, body))).StatusCode);

        // The body alone (the old scheme) and a stale timestamp are refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Push(body, now, WebhookSignature.Sign(secret, Encoding.UTF8.GetBytes(body)))).StatusCode);
        var old = now - 301;
        Assert.Equal(HttpStatusCode.Unauthorized, (await Push(body, old, WebhookSignature.SignTimestamped(secret, old, body))).StatusCode);
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));

        // A refused batch leaves nothing behind, not even a claim on its signature.
        var bad = JsonSerializer.Serialize(new { points = new[] { new { metric = "pushed", timestamp = "yesterday", value = 1 } } });
        Assert.Equal(HttpStatusCode.BadRequest, (await Push(bad, now, WebhookSignature.SignTimestamped(secret, now, bad))).StatusCode);
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
        Assert.Equal(HttpStatusCode.BadRequest, (await Push(bad, now, WebhookSignature.SignTimestamped(secret, now, bad))).StatusCode);

        var signature = WebhookSignature.SignTimestamped(secret, now, body);
        var accepted = await Push(body, now, signature);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(3, (await accepted.Json()).GetProperty("inserted").GetInt32());
        Assert.Equal(3, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
        var replay = await Push(body, now, signature);
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        var source = await tenant.Client.GetFromJsonAsync<JsonElement>(path.Replace("/push", string.Empty, StringComparison.Ordinal));
        Assert.NotEqual(JsonValueKind.Null, source.GetProperty("lastSuccessAt").ValueKind);
    }

    [Theory]
    [InlineData("""{"name":"x","type":"ftp"}""", "type")]
    [InlineData("""{"name":"x","type":"prometheus","url":"not a url","intervalSeconds":10}""", "url")]
    [InlineData("""{"name":"x","type":"prometheus","url":"http://127.0.0.1:9/metrics"}""", "intervalSeconds")]
    [InlineData("""{"name":"x","type":"prometheus","url":"http://169.254.169.254/metrics","intervalSeconds":10}""", "url")]
    [InlineData("""{"name":"x","type":"prometheus","url":"http://[fd00::1]/metrics","intervalSeconds":10}""", "url")]
    [InlineData("""{"type":"webhook"}""", "name")]
    public async Task BadSourcesAre400NamingTheField(string body, string field)
    {
        var tenant = await factory.NewTenant("admin");
        var response = await tenant.Client.PostAsync("/api/sources", TestData.JsonBody(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _));
    }
}

public sealed class SourcesTestsOnFile(ApiFactory factory) : SourcesTests<ApiFactory>(factory);

public sealed class SourcesTestsOnSqld(SqldApiFactory factory) : SourcesTests<SqldApiFactory>(factory);
