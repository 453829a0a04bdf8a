using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.Api.Forecasting;

namespace IntentVision.Api.Tests;

public abstract class ForecastAndAnomalyTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    private static double Seasonal(int i) => 100 + (10 * Math.Sin(2 * Math.PI * i / 60.0)) + (i % 3);

    [Fact]
    public async Task AForecastIsRunStoredListedAndReadBack()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("cpu", 600, Seasonal, start: TestData.T0.AddDays(-1));
        var run = await tenant.Client.PostAsJsonAsync("/api/forecasts", new { seriesId = id, horizon = 30 });
        Assert.Equal(HttpStatusCode.Created, run.StatusCode);
        var forecast = await run.Json();
        var points = forecast.GetProperty("points");
        Assert.Equal(30, points.GetArrayLength());
        var p = points[0];
        Assert.True(p.GetProperty("lower95").GetDouble() <= p.GetProperty("lower80").GetDouble());
        Assert.True(p.GetProperty("lower80").GetDouble() <= p.GetProperty("value").GetDouble());
        Assert.True(p.GetProperty("value").GetDouble() <= p.GetProperty("upper80").GetDouble());
        Assert.True(p.GetProperty("upper80").GetDouble() <= p.GetProperty("upper95").GetDouble());
        Assert.Equal(TestData.T0.AddDays(-1).AddMinutes(600), p.GetProperty("timestamp").GetDateTimeOffset());
        Assert.True(forecast.GetProperty("durationMs").GetDouble() > 0);
        Assert.Contains("historyPoints", forecast.GetProperty("modelInfo").GetString());

        var listed = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/forecasts?seriesId={id}");
        Assert.Equal(forecast.GetProperty("id").GetInt64(), Assert.Single(listed.EnumerateArray()).GetProperty("id").GetInt64());
        var read = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/forecasts/{forecast.GetProperty("id").GetInt64()}");
        Assert.Equal(30, read.GetProperty("points").GetArrayLength());

        var named = await (await tenant.Client.PostAsJsonAsync("/api/forecasts", new { seriesId = id, horizon = 5, method = "naive" })).Json();
        Assert.False(string.IsNullOrEmpty(named.GetProperty("method").GetString()));
        Assert.Contains("\"requestedMethod\":\"naive\"", named.GetProperty("modelInfo").GetString());
    }

    [Theory]
    [InlineData("{\"horizon\":5}", "seriesId")]
    [InlineData("{\"seriesId\":1,\"horizon\":0}", "horizon")]
    [InlineData("{\"seriesId\":1,\"horizon\":5,\"method\":\"magic\"}", "method")]
    public async Task BadForecastRequestsAre400(string body, string field)
    {
        var tenant = await factory.NewTenant("metrics:read");
        var response = await tenant.Client.PostAsync("/api/forecasts", TestData.JsonBody(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task ForecastingAMissingOrTinySeriesIsRefused()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.PostAsJsonAsync("/api/forecasts", new { seriesId = 987654, horizon = 5 })).StatusCode);
        var id = await tenant.Client.Ingest("one", 1, _ => 1);
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.PostAsJsonAsync("/api/forecasts", new { seriesId = id, horizon = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync("/api/forecasts/987654")).StatusCode);
    }

    [Fact]
    public async Task TheForecastJobReforecastsActiveSeriesOncePerRefreshPeriod()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("job.series", 200, Seasonal, start: DateTimeOffset.UtcNow.AddHours(-4));
        var job = factory.Service<ForecastJob>();
        await job.RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var first = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/forecasts?seriesId={id}");
        Assert.Equal(1, first.GetArrayLength());
        Assert.Equal(48, first[0].GetProperty("horizon").GetInt32());

        await job.RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(1, (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/forecasts?seriesId={id}")).GetArrayLength());
        await job.RunOnceAsync(DateTimeOffset.UtcNow.AddHours(2), CancellationToken.None);
        Assert.Equal(2, (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/forecasts?seriesId={id}")).GetArrayLength());
    }

    [Fact]
    public async Task NewPointsAreScoredAndAnomaliesListedFilteredAndAcknowledged()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read", "alerts:write");
        var id = await tenant.Client.Ingest("latency", 800, i => i == 700 ? 900 : Seasonal(i), start: TestData.T0.AddDays(-1));

        // Detection ran inside the ingest transaction: the anomaly is there as soon as the POST has answered.
        var anomalies = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies?seriesId={id}");
        var spike = anomalies.EnumerateArray().Single(a => a.GetProperty("timestamp").GetDateTimeOffset() == TestData.T0.AddDays(-1).AddMinutes(700));
        Assert.Equal(900, spike.GetProperty("value").GetDouble());
        Assert.InRange(spike.GetProperty("score").GetDouble(), 0.0, 1.0);
        Assert.Contains(spike.GetProperty("severity").GetString(), new[] { "low", "medium", "high", "critical" });
        Assert.Equal(JsonValueKind.Number, spike.GetProperty("expected").ValueKind);
        Assert.Contains("detector", spike.GetProperty("context").GetString());

        var severity = spike.GetProperty("severity").GetString();
        Assert.Contains((await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies?severity={severity}")).EnumerateArray(), a => a.GetProperty("id").GetInt64() == spike.GetProperty("id").GetInt64());
        var windowFrom = Uri.EscapeDataString(TestData.T0.AddDays(-1).AddMinutes(699).ToString("O"));
        var windowTo = Uri.EscapeDataString(TestData.T0.AddDays(-1).AddMinutes(701).ToString("O"));
        Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies?from={windowFrom}&to={windowTo}")).EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.GetAsync("/api/anomalies?severity=apocalyptic")).StatusCode);

        var ack = await tenant.Client.PostAsync($"/api/anomalies/{spike.GetProperty("id").GetInt64()}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.NotEqual(JsonValueKind.Null, (await ack.Json()).GetProperty("acknowledgedAt").ValueKind);
        Assert.DoesNotContain((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/anomalies?acknowledged=false")).EnumerateArray(), a => a.GetProperty("id").GetInt64() == spike.GetProperty("id").GetInt64());

        // The same points again are late (at or before the latest scored): stored, not scored, nothing stored twice.
        var count = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies?seriesId={id}")).GetArrayLength();
        await tenant.Client.Ingest("latency", 800, i => i == 700 ? 900 : Seasonal(i), start: TestData.T0.AddDays(-1));
        Assert.Equal(count, (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/anomalies?seriesId={id}")).GetArrayLength());
    }
}

public sealed class ForecastAndAnomalyTestsOnFile(ApiFactory factory) : ForecastAndAnomalyTests<ApiFactory>(factory);

public sealed class ForecastAndAnomalyTestsOnSqld(SqldApiFactory factory) : ForecastAndAnomalyTests<SqldApiFactory>(factory);
