using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace IntentVision.BrowserTests;

[Collection(DashboardCollection.Name)]
public sealed class DashboardPageTests(DashboardFixture dashboard, ITestOutputHelper output)
{
    private const string Org = DashboardFixture.Organization;

    private async Task ShootAsync(IPage page, string name)
    {
        var path = await dashboard.ScreenshotAsync(page, name);
        output.WriteLine($"screenshot: {path}");
    }

    [Fact]
    public async Task Overview_shows_counts_anomalies_and_the_database_mode()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync("/");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await Expect(page.GetByTestId("series-count")).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("database-mode")).ToHaveTextAsync("EmbeddedFile");
        await Expect(page.GetByTestId("latest-anomalies-table")).ToBeVisibleAsync();
        Assert.NotEqual("0", await page.GetByTestId("open-anomalies").TextContentAsync());
        await ShootAsync(page, "overview");
    }

    [Fact]
    public async Task Metrics_explorer_charts_actual_values_forecast_bands_and_anomaly_markers()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/metrics/{Org}/{dashboard.LatencySeriesId}");
        await page.Locator("[data-testid=series-chart] svg g.rz-line-series path").First.WaitForAsync();
        await Expect(page.GetByTestId("chart-title")).ToContainTextAsync("web.latency_ms {host=web-1, region=eu}");
        Assert.Equal(2, await page.Locator("[data-testid=series-chart] svg g.rz-range-area-series").CountAsync());
        Assert.True(await page.Locator("[data-testid=series-chart] svg g.rz-scatter-series circle").CountAsync() >= 1);
        await Expect(page.GetByTestId("forecast-caption")).ToContainTextAsync("Forecast #");

        await page.Locator("[data-testid=series-chart] svg g.rz-scatter-series circle").First.HoverAsync(new LocatorHoverOptions { Force = true });
        await Expect(page.GetByTestId("anomaly-tooltip").First).ToContainTextAsync("Score");
        await ShootAsync(page, "metrics-explorer");

        await page.SelectOptionAsync("#resolution", "1h");
        await Expect(page.GetByTestId("point-count")).ToContainTextAsync("avg of each 1 h");
    }

    [Fact]
    public async Task A_chart_of_100000_points_is_drawn_quickly_and_small()
    {
        // The first request to a fresh dashboard process pays for JIT and the API's first queries; an analyst
        // never sees that twice, so warm the server on another page, then measure with an empty browser cache.
        var warm = await dashboard.NewPageAsync();
        await warm.OpenAsync($"/metrics/{Org}/{dashboard.BulkSeriesId}");
        await warm.Locator("[data-testid=series-chart] svg g.rz-line-series path").First.WaitForAsync(new LocatorWaitForOptions { Timeout = PageExtensions.Timeout });
        await warm.Context.CloseAsync();

        var page = await dashboard.NewPageAsync();
        long bytes = 0;
        var requests = 0;
        var sizesByUrl = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        page.RequestFinished += async (_, request) =>
        {
            var sizes = await request.SizesAsync();
            Interlocked.Add(ref bytes, sizes.ResponseBodySize + sizes.ResponseHeadersSize);
            Interlocked.Increment(ref requests);
            sizesByUrl[new Uri(request.Url).AbsolutePath] = sizes.ResponseBodySize + sizes.ResponseHeadersSize;
        };
        long socketBytes = 0;
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
            Interlocked.Add(ref socketBytes, frame.Binary?.Length ?? Encoding.UTF8.GetByteCount(frame.Text ?? string.Empty));

        var clock = Stopwatch.StartNew();
        await page.GotoAsync($"/metrics/{Org}/{dashboard.BulkSeriesId}", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        var committed = clock.ElapsedMilliseconds;
        await page.WaitForLoadStateAsync(LoadState.Load);
        var loaded = clock.ElapsedMilliseconds;
        await page.Locator(".iv-shell[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = PageExtensions.Timeout });
        var interactive = clock.ElapsedMilliseconds;
        await page.Locator("[data-testid=series-chart] svg g.rz-line-series path").First.WaitForAsync(new LocatorWaitForOptions { Timeout = PageExtensions.Timeout });
        clock.Stop();
        output.WriteLine($"  first byte {committed} ms, load {loaded} ms, circuit live {interactive} ms, chart drawn {clock.ElapsedMilliseconds} ms");

        await Expect(page.GetByTestId("point-count")).ToContainTextAsync($"of {DashboardFixture.BulkPoints:N0} stored");
        var shown = int.Parse((await page.GetByTestId("point-count").TextContentAsync())!.Split(' ')[0].Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(300);
        var message = $"PERF navigation to a chart of {DashboardFixture.BulkPoints:N0} points until drawn: {clock.ElapsedMilliseconds} ms (goal < 1500 ms); " +
                      $"{shown:N0} points drawn; HTTP transferred {Interlocked.Read(ref bytes):N0} bytes in {requests} responses, circuit (WebSocket) received {Interlocked.Read(ref socketBytes):N0} bytes";
        output.WriteLine(message);
        Console.WriteLine(message);
        foreach (var (url, size) in sizesByUrl.OrderByDescending(p => p.Value))
        {
            output.WriteLine($"  {size,10:N0} {url}");
        }
        await ShootAsync(page, "metrics-100k");

        Assert.True(shown <= 1_000, $"The server should downsample to at most 1,000 points, drew {shown}.");
        // The goal is 1.5 s; the bound leaves room for a busy shared CI machine, the printed number is the measurement.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), message);
    }

    [Fact]
    public async Task Anomalies_grid_acknowledges_an_anomaly()
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
    public async Task Alerts_page_validates_and_creates_a_rule()
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
    public async Task Forecasts_page_lists_forecasts_and_shows_model_information()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/forecasts/{dashboard.ForecastId}");
        await Expect(page.GetByTestId("forecast-grid")).ToContainTextAsync($"#{dashboard.ForecastId}");
        await Expect(page.GetByTestId("model-info")).ToContainTextAsync("historyPoints");
        await page.Locator("[data-testid=forecast-detail] svg g.rz-range-area-series").First.WaitForAsync();
        await ShootAsync(page, "forecasts");
    }

    [Fact]
    public async Task Sources_page_lists_the_webhook_source()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync("/sources");
        await Expect(page.GetByTestId("source-grid")).ToContainTextAsync("edge push");
        await Expect(page.GetByTestId("source-grid")).ToContainTextAsync("never");
        await ShootAsync(page, "sources");
    }

    [Fact]
    public async Task Migrations_page_shows_the_applied_schema_and_the_database()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync("/migrations");
        await Expect(page.GetByTestId("schema-state")).ToHaveTextAsync("Current");
        await Expect(page.GetByTestId("applied-grid")).ToContainTextAsync("001_initial_schema");
        await Expect(page.GetByTestId("database-url")).ToContainTextAsync("file:");
        await ShootAsync(page, "migrations");
    }
}
