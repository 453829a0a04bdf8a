using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace IntentVision.BrowserTests;

[Collection(DashboardCollection.Name)]
public sealed class DashboardPageTests(DashboardFixture dashboard, ITestOutputHelper output)
{
    private const string Org = DashboardFixture.Organization;

    private async Task ShootAsync(IPage page, string name) => output.WriteLine($"screenshot: {await dashboard.ScreenshotAsync(page, name)}");

    [Fact]
    public async Task OverviewShowsCountsAnomaliesAndTheDatabaseMode()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync("/");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await Expect(page.GetByTestId("series-count")).Not.ToHaveTextAsync("0");
        await Expect(page.GetByTestId("database-mode")).ToHaveTextAsync("EmbeddedFile");
        await Expect(page.GetByTestId("latest-anomalies-table")).ToBeVisibleAsync();
        Assert.NotEqual("0", await page.GetByTestId("open-anomalies").TextContentAsync());
        // Readable numbers: the latency's unit, at most four significant digits, and a sparkline of the hour around.
        await Expect(page.GetByTestId("latest-anomaly").First).ToContainTextAsync(" ms");
        await Expect(page.GetByTestId("latest-anomaly").First.GetByTestId("sparkline")).ToBeVisibleAsync();
        await ShootAsync(page, "overview");
    }

    [Fact]
    public async Task MetricsExplorerChartsActualValuesForecastBandsAndAnomalyMarkers()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/metrics/{Org}/{dashboard.LatencySeriesId}");
        await page.WaitForFunctionAsync(PageExtensions.ActualLineDrawn, 100);
        await Expect(page.GetByTestId("chart-title")).ToContainTextAsync("web.latency_ms {host=web-1, region=eu}");
        Assert.Equal(1, await page.GetByTestId("band-80").CountAsync());
        Assert.Equal(1, await page.GetByTestId("band-95").CountAsync());
        Assert.True(await page.GetByTestId("anomaly-marker").CountAsync() >= 1);
        Assert.Contains("score", await page.GetByTestId("anomaly-marker").First.Locator("title").TextContentAsync());
        await Expect(page.GetByTestId("forecast-caption")).ToContainTextAsync("Forecast #");
        await ShootAsync(page, "metrics-explorer");

        await page.SelectOptionAsync("#resolution", "1h");
        await Expect(page.GetByTestId("point-count")).ToContainTextAsync("avg of each 1 h");
        Assert.Contains("res=1h", page.Url);
    }

    [Fact]
    public async Task TheForecastBandOfALatencyNeverReachesBelowZero()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/metrics/{Org}/{dashboard.LatencySeriesId}");
        await page.GetByTestId("band-95").WaitForAsync();
        var labels = await page.Locator("[data-testid=series-chart] .iv-grid text").AllTextContentsAsync();
        Assert.DoesNotContain(labels, l => l.StartsWith('-'));
        var bottom = await page.EvaluateAsync<double>("() => { const s = document.querySelector('[data-testid=series-chart] svg'); return +s.dataset.plotTop + +s.dataset.plotHeight; }");
        var lowest = await page.EvaluateAsync<double>("() => Math.max(...document.querySelector('[data-testid=band-95]').getAttribute('d').split(/[MLZ]/).filter(p => p.trim()).map(p => +p.trim().split(' ')[1]))");
        Assert.True(lowest <= bottom + 0.1, $"The band reaches y={lowest}, below the plot's bottom {bottom}.");
    }

    [Fact]
    public async Task AChartOf100000PointsIsDownsampledByTheServer()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/metrics/{Org}/{dashboard.BulkSeriesId}");
        await Expect(page.GetByTestId("point-count")).ToContainTextAsync($"of {DashboardFixture.BulkPoints:N0} stored");
        var shown = int.Parse((await page.GetByTestId("point-count").TextContentAsync())!.Split(' ')[0].Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(shown, 500, 1_000);
        await ShootAsync(page, "metrics-100k");
    }

    [Fact]
    public async Task AnomaliesGridAcknowledgesAnAnomaly()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync("/anomalies");
        var grid = page.GetByTestId("anomaly-grid");
        await Expect(grid.Locator("tbody tr").First).ToBeVisibleAsync();
        await ShootAsync(page, "anomalies");

        var open = (await dashboard.Api.GetFromJsonAsync<JsonElement>($"/api/organizations/{Org}/anomalies?acknowledged=false")).GetArrayLength();
        await grid.GetByTestId("acknowledge-anomaly").First.ClickAsync();
        await Expect(page.GetByTestId("anomaly-message")).ToContainTextAsync("acknowledged.");
        var after = (await dashboard.Api.GetFromJsonAsync<JsonElement>($"/api/organizations/{Org}/anomalies?acknowledged=false")).GetArrayLength();
        Assert.Equal(open - 1, after);
    }

    [Fact]
    public async Task AlertsPageValidatesAndCreatesARule()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync("/alerts");
        await page.GetByTestId("new-rule").ClickAsync();
        await page.GetByTestId("save-rule").ClickAsync();
        await Expect(page.Locator("#rule-name-error")).ToHaveTextAsync("Enter a name.");
        await Expect(page.Locator("#rule-threshold-error")).ToHaveTextAsync("Enter a threshold.");
        await ShootAsync(page, "alerts-validation");

        await page.SetAsync("#rule-name", "latency high");
        await page.SetAsync("#rule-metric", "web.latency_ms");
        await page.SetAsync("#rule-dimensions", "host=web-1");
        await page.SetAsync("#rule-threshold", "300");
        await page.GetByTestId("save-rule").ClickAsync();
        await Expect(page.GetByTestId("alerts-message")).ToContainTextAsync("Rule latency high created.");
        await Expect(page.GetByTestId("rule-grid")).ToContainTextAsync("latency high");
        await ShootAsync(page, "alerts");

        var rules = await dashboard.Api.GetFromJsonAsync<JsonElement>($"/api/organizations/{Org}/alert-rules");
        Assert.Contains(rules.EnumerateArray(), r => r.GetProperty("name").GetString() == "latency high" && r.GetProperty("condition").GetProperty("threshold").GetDouble() == 300);
    }

    [Fact]
    public async Task ForecastsPageListsForecastsAndShowsModelInformation()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/forecasts/{dashboard.ForecastId}");
        await Expect(page.GetByTestId("forecast-grid")).ToContainTextAsync($"#{dashboard.ForecastId}");
        await Expect(page.GetByTestId("model-info")).ToContainTextAsync("historyPoints");
        await page.Locator("[data-testid=forecast-detail] [data-testid=band-95]").WaitForAsync();
        await ShootAsync(page, "forecasts");
    }

    [Fact]
    public async Task SourcesPageListsTheWebhookSource()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync("/sources");
        await Expect(page.GetByTestId("source-grid")).ToContainTextAsync("edge push");
        await Expect(page.GetByTestId("source-grid")).ToContainTextAsync("never");
        await ShootAsync(page, "sources");
    }

    [Fact]
    public async Task MigrationsPageShowsTheAppliedSchemaAndTheDatabase()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync("/migrations");
        await Expect(page.GetByTestId("schema-state")).ToHaveTextAsync("Current");
        await Expect(page.GetByTestId("applied-grid")).ToContainTextAsync("001_initial_schema");
        await Expect(page.GetByTestId("database-url")).ToContainTextAsync("file:");
        await ShootAsync(page, "migrations");
    }

    [Fact]
    public async Task TheChosenTimeZoneIsRememberedAcrossVisits()
    {
        var context = await dashboard.Topology.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = dashboard.Topology.DashboardUrl.ToString(), TimezoneId = "Asia/Tokyo" });
        var page = await context.NewPageAsync();
        await page.OpenAsync("/anomalies");
        await Expect(page.Locator("[data-testid=anomaly-grid] th").First).ToContainTextAsync("UTC");
        await page.SelectOptionAsync("#time-zone", "browser");
        await Expect(page.Locator("[data-testid=anomaly-grid] th").First).ToContainTextAsync("Asia/Tokyo");

        // A new visit (the prerendered page, before any script runs) already reads in that zone.
        var html = await (await page.Context.APIRequest.GetAsync("/anomalies")).TextAsync();
        Assert.Contains("Time (Asia/Tokyo)", html);
    }
}
