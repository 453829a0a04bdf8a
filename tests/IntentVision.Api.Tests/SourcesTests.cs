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
    public async Task A_prometheus_source_scrapes_a_real_opentelemetry_exporter()
    {
        using var meter = new Meter("IntentVision.Tests.Shop");
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
        Assert.NotEqual(JsonValueKind.Null, source.GetProperty("lastSyncAt").ValueKind);

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
    public async Task A_failing_scrape_keeps_the_error_on_the_source()
    {
        await using var broken = await LoopbackServer.StartAsync(_ => { }, app => app.MapGet("/metrics", () => Microsoft.AspNetCore.Http.Results.StatusCode(500)));
        var tenant = await factory.NewTenant("admin");
        var created = await (await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "broken", type = "prometheus", url = broken.BaseUrl + "/metrics", intervalSeconds = 60 })).Json();
        var id = created.GetProperty("source").GetProperty("id").GetInt64();
        var synced = await (await tenant.Client.PostAsync($"/api/sources/{id}/sync", null)).Json();
        Assert.Contains("500", synced.GetProperty("lastError").GetString());
    }

    [Fact]
    public void The_exposition_parser_reads_labels_escapes_timestamps_and_skips_non_finite()
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
    }

    [Fact]
    public async Task A_webhook_source_accepts_signed_pushes_only()
    {
        var tenant = await factory.NewTenant("admin");
        var created = await (await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "pushes", type = "webhook" })).Json();
        var secret = created.GetProperty("secret").GetString()!;
        var path = created.GetProperty("source").GetProperty("pushPath").GetString()!;
        Assert.DoesNotContain(secret, (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/sources")).ToString());

        var body = JsonSerializer.Serialize(TestData.Points("pushed", 3, i => i));
        using var anonymous = factory.Client(null);
        async Task<HttpResponseMessage> Push(string signature)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-IntentVision-Signature", signature);
            return await anonymous.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Push("sha256=00")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Push(WebhookSignature.Sign("not-the-secret-000", Encoding.UTF8.GetBytes(body)))).StatusCode);
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));

        var accepted = await Push(WebhookSignature.Sign(secret, Encoding.UTF8.GetBytes(body)));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(3, (await accepted.Json()).GetProperty("inserted").GetInt32());
        Assert.Equal(3, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
        Assert.NotEqual(JsonValueKind.Null, (await tenant.Client.GetFromJsonAsync<JsonElement>(path.Replace("/push", string.Empty, StringComparison.Ordinal))).GetProperty("lastSyncAt").ValueKind);
    }

    [Theory]
    [InlineData("""{"name":"x","type":"ftp"}""", "type")]
    [InlineData("""{"name":"x","type":"prometheus","url":"not a url","intervalSeconds":10}""", "url")]
    [InlineData("""{"name":"x","type":"prometheus","url":"http://127.0.0.1:9/metrics"}""", "intervalSeconds")]
    [InlineData("""{"type":"webhook"}""", "name")]
    public async Task Bad_sources_are_400_naming_the_field(string body, string field)
    {
        var tenant = await factory.NewTenant("admin");
        var response = await tenant.Client.PostAsync("/api/sources", TestData.JsonBody(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _));
    }
}

public sealed class SourcesTestsOnFile(ApiFactory factory) : SourcesTests<ApiFactory>(factory);

public sealed class SourcesTestsOnSqld(SqldApiFactory factory) : SourcesTests<SqldApiFactory>(factory);
