using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace IntentVision.BrowserTests;

/// <summary>The metrics explorer in a real browser: drag to zoom, the URL as the view's state, back and forward, overlays.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ExplorerTests(DashboardFixture dashboard, ITestOutputHelper output)
{
    private const string Org = DashboardFixture.Organization;

    private static async Task<(long From, long To)> DrawnWindowAsync(IPage page)
    {
        var svg = page.GetByTestId("series-chart-svg");
        return (long.Parse((await svg.GetAttributeAsync("data-from-ms"))!, CultureInfo.InvariantCulture), long.Parse((await svg.GetAttributeAsync("data-to-ms"))!, CultureInfo.InvariantCulture));
    }

    /// <summary>Drags across the plot from one fraction of its width to another, as an analyst does with the mouse.</summary>
    public static async Task DragAsync(IPage page, double fromFraction, double toFraction)
    {
        var box = await page.EvaluateAsync<double[]>("""
            () => {
                const svg = document.querySelector('[data-testid=series-chart-svg]');
                const r = svg.getBoundingClientRect();
                const scale = r.width / svg.viewBox.baseVal.width;
                return [r.left + +svg.dataset.plotLeft * scale, +svg.dataset.plotWidth * scale, r.top + (+svg.dataset.plotTop + +svg.dataset.plotHeight / 2) * scale];
            }
            """);
        await page.Mouse.MoveAsync((float)(box[0] + box[1] * fromFraction), (float)box[2]);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(box[0] + box[1] * ((fromFraction + toFraction) / 2)), (float)box[2], new MouseMoveOptions { Steps = 3 });
        await page.Mouse.MoveAsync((float)(box[0] + box[1] * toFraction), (float)box[2], new MouseMoveOptions { Steps = 3 });
        await page.Mouse.UpAsync();
    }

    [Fact]
    public async Task DragZoomChangesTheUrlAndTheDrawnRangeAndBackRestoresIt()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/metrics/{Org}/{dashboard.BulkSeriesId}");
        await page.WaitForFunctionAsync(PageExtensions.ActualLineDrawn, 500);
        var start = page.Url;
        var (from, to) = await DrawnWindowAsync(page);

        await DragAsync(page, 0.25, 0.5);
        await page.WaitForURLAsync(url => url.Contains("from=", StringComparison.Ordinal));
        await Expect(page.GetByTestId("series-chart-svg")).Not.ToHaveAttributeAsync("data-from-ms", from.ToString(CultureInfo.InvariantCulture));
        var (zoomFrom, zoomTo) = await DrawnWindowAsync(page);
        var span = to - from;
        Assert.InRange(zoomFrom, from + span * 0.24, from + span * 0.26);
        Assert.InRange(zoomTo, from + span * 0.49, from + span * 0.51);
        // The zoomed window is drawn with the server's full budget of points for it, not the old points stretched.
        await page.WaitForFunctionAsync(PageExtensions.ActualLineDrawn, 500);
        await Expect(page.GetByTestId("zoom-reset")).ToBeEnabledAsync();
        await dashboard.ScreenshotAsync(page, "metrics-zoomed");

        // A second zoom, then back twice: each step of the history is a view.
        await DragAsync(page, 0.5, 0.75);
        await Expect(page.GetByTestId("series-chart-svg")).Not.ToHaveAttributeAsync("data-from-ms", zoomFrom.ToString(CultureInfo.InvariantCulture));
        await page.GoBackAsync();
        await Expect(page.GetByTestId("series-chart-svg")).ToHaveAttributeAsync("data-from-ms", zoomFrom.ToString(CultureInfo.InvariantCulture));
        await page.GoBackAsync();
        await Expect(page.GetByTestId("series-chart-svg")).ToHaveAttributeAsync("data-from-ms", from.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(start, page.Url);
        await page.GoForwardAsync();
        await Expect(page.GetByTestId("series-chart-svg")).ToHaveAttributeAsync("data-from-ms", zoomFrom.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AZoomedLinkOpenedElsewhereShowsTheSameWindow()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/metrics/{Org}/{dashboard.LatencySeriesId}");
        await page.WaitForFunctionAsync(PageExtensions.ActualLineDrawn, 100);
        await DragAsync(page, 0.4, 0.6);
        await page.WaitForURLAsync(url => url.Contains("from=", StringComparison.Ordinal));
        await page.GetByTestId("pan-earlier").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("from=", StringComparison.Ordinal) && url != page.Url);
        await page.WaitForLoadStateAsync();
        var link = page.Url;
        var window = await DrawnWindowAsync(page);

        var other = await dashboard.NewPageAsync();
        await other.OpenAsync(link);
        await Expect(other.GetByTestId("series-chart-svg")).ToHaveAttributeAsync("data-from-ms", window.From.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(window, await DrawnWindowAsync(other));
    }

    [Fact]
    public async Task OverlayDrawsEverySeriesAskedFor()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/metrics/{Org}/{dashboard.LatencySeriesId}?range=24h&compare={dashboard.QueueSeriesId},{dashboard.BulkSeriesId}&shift=1");
        await Expect(page.GetByTestId("series-chart-svg")).ToHaveAttributeAsync("data-lines", "4");
        var lines = page.Locator("[data-testid=series-chart] path.iv-line:not(.iv-forecast)");
        await Expect(lines).ToHaveCountAsync(4);
        foreach (var path in await lines.AllAsync())
        {
            Assert.Matches("^M[-0-9. ]+L", await path.GetAttributeAsync("d"));
        }

        await Expect(page.GetByTestId("compared")).ToContainTextAsync("queue.depth");
        await Expect(page.Locator(".iv-legend")).ToContainTextAsync("Same series 1 day earlier");
        await dashboard.ScreenshotAsync(page, "metrics-overlay");

        // Overlay another series from the list, then take one off: the URL follows.
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop overlaying queue.depth {queue=orders}" }).ClickAsync();
        await Expect(lines).ToHaveCountAsync(3);
        Assert.DoesNotContain($"{dashboard.QueueSeriesId},", page.Url);
        output.WriteLine(page.Url);
    }
}
