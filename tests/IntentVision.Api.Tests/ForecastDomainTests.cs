using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntentVision.Api.Tests;

/// <summary>A stored forecast (what the dashboard draws and forecast_breach rules read) keeps to the series' domain.</summary>
public abstract class ForecastDomainTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    /// <summary>A latency falling steeply towards zero: a trend and its bands extrapolated from it would go negative.</summary>
    private static double FallingLatency(int i) => Math.Max(1, 120 - (0.4 * i)) + (i % 4);

    [Theory]
    [InlineData("auto")]
    [InlineData("holt")]
    public async Task AForecastOfANeverNegativeMetricHasNoNegativeValueOrBand(string method)
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("latency.ms", 300, FallingLatency, start: TestData.T0.AddDays(-1));
        var run = await tenant.Client.PostAsJsonAsync("/api/forecasts", new { seriesId = id, horizon = 120, method });
        Assert.Equal(HttpStatusCode.Created, run.StatusCode);
        var stored = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/forecasts/{(await run.Json()).GetProperty("id").GetInt64()}");
        var points = stored.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(120, points.Count);
        foreach (var field in new[] { "value", "lower80", "upper80", "lower95", "upper95" })
        {
            Assert.All(points, p => Assert.True(p.GetProperty(field).GetDouble() >= 0, $"{field} {p}"));
        }

        Assert.Contains(points, p => p.GetProperty("lower95").GetDouble() == 0);
        Assert.Contains("never been below 0", stored.GetProperty("modelInfo").GetString());
    }

    [Fact]
    public async Task AMetricThatWasNegativeKeepsItsNegativeBand()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("balance", 300, i => FallingLatency(i) - 30, start: TestData.T0.AddDays(-1));
        var forecast = await (await tenant.Client.PostAsJsonAsync("/api/forecasts", new { seriesId = id, horizon = 120, method = "holt" })).Json();
        Assert.Contains(forecast.GetProperty("points").EnumerateArray(), p => p.GetProperty("lower95").GetDouble() < 0);
    }
}

public sealed class ForecastDomainTestsOnFile(ApiFactory factory) : ForecastDomainTests<ApiFactory>(factory);

public sealed class ForecastDomainTestsOnSqld(SqldApiFactory factory) : ForecastDomainTests<SqldApiFactory>(factory);
