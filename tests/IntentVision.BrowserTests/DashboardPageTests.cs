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

    /// <summary>
    /// In the page: the actual series' line (solid, not the dashed forecast) with at least this many points in its path.
    /// </summary>
    private const string ActualLineDrawn = """
        min => [...document.querySelectorAll('[data-testid=series-chart] svg g.rz-line-series path')]
            .some(p => !p.getAttribute('stroke-dasharray') && ((p.getAttribute('d') || '').match(/[ML]/g) || []).length >= min)
        """;

    private sealed class ResourceEntry
    {
        public string Name { get; set; } = string.Empty;

        public double TransferSize { get; set; }

        public double DecodedBodySize { get; set; }
    }

    private sealed record ChartLoad(long FirstByte, long Drawn, long Loaded, long Interactive, long HttpBytes, long DecodedBytes, int Responses, long SocketBytes, double ChartWidth, IReadOnlyList<string> Lines);

    /// <summary>
    /// One cold navigation (new browser context, so nothing cached) to the chart of the 100,000-point series, timed
    /// from the navigation's start until the actual series' SVG line is in the page with its points.
    /// </summary>
    private async Task<ChartLoad> MeasureChartLoadAsync(string? screenshot = null)
    {
        var page = await dashboard.NewPageAsync();
        var requests = 0;
        page.RequestFinished += (_, _) => Interlocked.Increment(ref requests);
        long socketBytes = 0;
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
            Interlocked.Add(ref socketBytes, frame.Binary?.Length ?? Encoding.UTF8.GetByteCount(frame.Text ?? string.Empty));

        var clock = Stopwatch.StartNew();
        await page.GotoAsync($"/metrics/{Org}/{dashboard.BulkSeriesId}", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        var committed = clock.ElapsedMilliseconds;
        await page.WaitForFunctionAsync(ActualLineDrawn, 500, new PageWaitForFunctionOptions { Timeout = PageExtensions.Timeout, PollingInterval = 10 });
        var drawn = clock.ElapsedMilliseconds;
        await page.WaitForLoadStateAsync(LoadState.Load);
        var loaded = clock.ElapsedMilliseconds;
        await page.Locator(".iv-shell[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = PageExtensions.Timeout });
        var interactive = clock.ElapsedMilliseconds;

        // Once live, the circuit's render must still show the line (it takes the prerendered data over).
        await page.WaitForFunctionAsync(ActualLineDrawn, 500, new PageWaitForFunctionOptions { Timeout = PageExtensions.Timeout });
        await Expect(page.GetByTestId("point-count")).ToContainTextAsync($"of {DashboardFixture.BulkPoints:N0} stored");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Task.Delay(300);

        // Bytes on the wire as the browser counts them (compressed, headers included); Playwright's sizes are decoded.
        var entries = await page.EvaluateAsync<ResourceEntry[]>("""
            () => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
                .map(e => ({ name: new URL(e.name).pathname, transferSize: e.transferSize, decodedBodySize: e.decodedBodySize }))
            """);
        var lines = entries.OrderByDescending(e => e.TransferSize)
            .Select(e => $"  {e.TransferSize,10:N0} transferred {e.DecodedBodySize,10:N0} decoded  {e.Name}").ToList();
        var chartWidth = await page.EvaluateAsync<double>("() => document.querySelector('[data-testid=series-chart] .rz-chart').getBoundingClientRect().width");
        if (screenshot is not null)
        {
            await ShootAsync(page, screenshot);
        }

        var load = new ChartLoad(committed, drawn, loaded, interactive, (long)entries.Sum(e => e.TransferSize), (long)entries.Sum(e => e.DecodedBodySize), requests, Interlocked.Read(ref socketBytes), chartWidth,
            lines);
        await page.Context.CloseAsync();
        return load;
    }

    [Fact]
    public async Task A_chart_of_100000_points_is_drawn_quickly_and_small()
    {
        // The first request to a fresh dashboard process pays for JIT and the API's first queries; an analyst
        // never sees that twice, so warm the server on another page, then measure with an empty browser cache.
        var warm = await dashboard.NewPageAsync();
        await warm.OpenAsync($"/metrics/{Org}/{dashboard.BulkSeriesId}");
        await warm.WaitForFunctionAsync(ActualLineDrawn, 500, new PageWaitForFunctionOptions { Timeout = PageExtensions.Timeout });
        await warm.Context.CloseAsync();

        // Several cold navigations: the machine is shared, so one number says little; the median is the measurement.
        const int runs = 5;
        var loads = new List<ChartLoad>();
        for (var run = 0; run < runs; run++)
        {
            var load = await MeasureChartLoadAsync(run == runs - 1 ? "metrics-100k" : null);
            loads.Add(load);
            output.WriteLine($"  run {run + 1}: first byte {load.FirstByte} ms, chart drawn {load.Drawn} ms, load {load.Loaded} ms, circuit live {load.Interactive} ms; " +
                             $"HTTP {load.HttpBytes:N0} bytes transferred ({load.DecodedBytes:N0} decoded) in {load.Responses} responses, WebSocket {load.SocketBytes:N0} bytes; chart {load.ChartWidth} px wide");
        }

        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/metrics/{Org}/{dashboard.BulkSeriesId}");
        await Expect(page.GetByTestId("point-count")).ToContainTextAsync($"of {DashboardFixture.BulkPoints:N0} stored");
        var shown = int.Parse((await page.GetByTestId("point-count").TextContentAsync())!.Split(' ')[0].Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        await page.Context.CloseAsync();

        var median = loads.OrderBy(l => l.Drawn).ElementAt(runs / 2);
        var message = $"PERF navigation to a chart of {DashboardFixture.BulkPoints:N0} points until drawn: median {median.Drawn} ms of {runs} cold runs " +
                      $"[{string.Join(", ", loads.Select(l => l.Drawn))}] (goal < 1500 ms); {shown:N0} points drawn; " +
                      $"HTTP transferred {median.HttpBytes:N0} bytes ({median.DecodedBytes:N0} decoded) in {median.Responses} responses, circuit (WebSocket) received {median.SocketBytes:N0} bytes";
        output.WriteLine(message);
        Console.WriteLine(message);
        // Under Aspire the dashboard runs in Development, where MapStaticAssets sends the Radzen CSS and JS with
        // Content-Encoding gzip but stored, uncompressed; a published build serves the precompressed files instead.
        foreach (var line in loads[^1].Lines)
        {
            output.WriteLine(line);
        }

        Assert.True(shown <= 1_000, $"The server should downsample to at most 1,000 points, drew {shown}.");
        // The goal: the median of the cold runs under 1.5 s. The chart is prerendered with its data, so it no longer waits
        // for the circuit (0.7-0.9 s medians on the shared two-core machine, against 1.8-2.4 s before).
        Assert.True(median.Drawn < 1_500, message);
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
