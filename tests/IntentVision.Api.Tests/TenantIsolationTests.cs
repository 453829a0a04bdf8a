using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntentVision.Api.Tests;

/// <summary>Organization A can neither read, list, write nor acknowledge anything of B's; B's ids answer 404 to A.</summary>
public abstract class TenantIsolationTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    [Fact]
    public async Task NothingOfAnotherOrganizationIsVisibleOrWritable()
    {
        var a = await factory.NewTenant("admin");
        var b = await factory.NewTenant("admin");
        var seriesId = await b.Client.Ingest("latency", 800, i => i == 700 ? 5000 : 100 + (i % 5), new { host = "b1" }, TestData.T0.AddDays(-1));
        var anomalyId = (await b.Client.GetFromJsonAsync<JsonElement>("/api/anomalies"))[0].GetProperty("id").GetInt64();
        var forecastId = (await (await b.Client.PostAsJsonAsync("/api/forecasts", new { seriesId, horizon = 5 })).Json()).GetProperty("id").GetInt64();
        var ruleId = (await (await b.Client.PostAsJsonAsync("/api/alert-rules", new { name = "b-rule", kind = "missing_data", metricKey = "latency", condition = new { maxSilenceSeconds = 60 } })).Json()).GetProperty("id").GetInt64();
        await factory.Service<IntentVision.Api.Alerting.AlertEvaluationJob>().RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var alertId = (await b.Client.GetFromJsonAsync<JsonElement>("/api/alerts"))[0].GetProperty("id").GetInt64();
        var sourceId = (await (await b.Client.PostAsJsonAsync("/api/sources", new { name = "b-hook", type = "webhook" })).Json()).GetProperty("source").GetProperty("id").GetInt64();
        var keyId = (await b.Client.GetFromJsonAsync<JsonElement>("/api/keys"))[0].GetProperty("id").GetString();

        // Read
        foreach (var path in new[]
        {
            $"/api/series/{seriesId}", $"/api/series/{seriesId}/points", $"/api/forecasts/{forecastId}", $"/api/anomalies/{anomalyId}",
            $"/api/alert-rules/{ruleId}", $"/api/alerts/{alertId}", $"/api/sources/{sourceId}", $"/api/organizations/{b.Id}", $"/api/organizations/{b.Id}/series",
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await a.Client.GetAsync(path)).StatusCode);
        }

        // List
        foreach (var path in new[] { "/api/series", "/api/forecasts", $"/api/forecasts?seriesId={seriesId}", "/api/anomalies", $"/api/anomalies?seriesId={seriesId}", "/api/alert-rules", "/api/alerts", "/api/sources" })
        {
            Assert.Equal(0, (await a.Client.GetFromJsonAsync<JsonElement>(path)).GetArrayLength());
        }

        Assert.Single((await a.Client.GetFromJsonAsync<JsonElement>("/api/keys")).EnumerateArray());

        // Write and acknowledge
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.PostAsync($"/api/anomalies/{anomalyId}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.PostAsJsonAsync($"/api/anomalies/{anomalyId}/feedback", new { verdict = "not_anomaly" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.DeleteAsync($"/api/anomalies/{anomalyId}/feedback")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.PostAsync($"/api/alerts/{alertId}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.PostAsJsonAsync("/api/forecasts", new { seriesId, horizon = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.DeleteAsync($"/api/alert-rules/{ruleId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.PutAsJsonAsync($"/api/alert-rules/{ruleId}", new { name = "mine", kind = "missing_data", metricKey = "x", condition = new { maxSilenceSeconds = 60 } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.DeleteAsync($"/api/sources/{sourceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.DeleteAsync($"/api/keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.PostAsJsonAsync($"/api/organizations/{b.Id}/metrics", TestData.Points("latency", 1, _ => 1))).StatusCode);

        // A's write with B's metric key and dimensions lands in a series of A's own.
        var own = await a.Client.Ingest("latency", 1, _ => 1, new { host = "b1" }, TestData.T0);
        Assert.NotEqual(seriesId, own);
        var bAfter = await b.Client.GetFromJsonAsync<JsonElement>($"/api/series/{seriesId}");
        Assert.Equal(800, bAfter.GetProperty("pointCount").GetInt64());
        var bAnomaly = await b.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies/{anomalyId}");
        Assert.Equal(JsonValueKind.Null, bAnomaly.GetProperty("acknowledgedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, bAnomaly.GetProperty("feedback").ValueKind);
        Assert.NotEqual("acknowledged", (await b.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alertId}")).GetProperty("alert").GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await b.Client.GetAsync($"/api/alert-rules/{ruleId}")).StatusCode);
    }

    [Fact]
    public async Task ThePlatformAdminIngestsAFullBatchThroughTheOrganizationPath()
    {
        var tenant = await factory.NewTenant("metrics:read");
        using var admin = factory.Admin();

        // 10,000 points is well over the 1 MiB default body limit and within the 8 MiB one of ingestion:
        // the organization path must get the ingestion limit, as /api/metrics does.
        var response = await admin.PostAsJsonAsync($"/api/organizations/{tenant.Id}/metrics", TestData.Points("bulk", 10_000, i => i, new { padding = new string('x', 60) }, step: TimeSpan.FromSeconds(1)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10_000, (await response.Json()).GetProperty("inserted").GetInt32());
        Assert.Equal(10_000, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }
}

public sealed class TenantIsolationTestsOnFile(ApiFactory factory) : TenantIsolationTests<ApiFactory>(factory);

public sealed class TenantIsolationTestsOnSqld(SqldApiFactory factory) : TenantIsolationTests<SqldApiFactory>(factory);
