using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace IntentVision.BrowserTests;

/// <summary>The metrics explorer in a real browser: drag to zoom, the URL as the view's state, back and forward, overlays.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ExplorerTests(DashboardFixture dashboard, ITestOutputHelper output)
{
    private const string Org = DashboardFixture.Organization;

    // A zoom is a same-document navigation (pushState). Asserted by polling the URL: WaitForURLAsync missed a
    // pushState that landed while it was subscribing, under load, and then waited out its timeout.
    private static readonly Regex ZoomedUrl = new("[?&]from=");

    private static async Task<(long From, long To)> DrawnWindowAsync(IPage page)
    {
        var svg = page.GetByTestId("series-chart-svg");
        return (long.Parse((await svg.GetAttributeAsync("data-from-ms"))!, CultureInfo.InvariantCulture), long.Parse((await svg.GetAttributeAsync("data-to-ms"))!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task DragZoomChangesTheUrlAndTheDrawnRangeAndBackRestoresIt()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/metrics/{Org}/{dashboard.BulkSeriesId}");
        await page.WaitForFunctionAsync(PageExtensions.ActualLineDrawn, 500);
        var start = page.Url;
        var (from, to) = await DrawnWindowAsync(page);

        await page.DragAcrossChartAsync(0.25, 0.5);
        await Expect(page).ToHaveURLAsync(ZoomedUrl);
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
        await page.DragAcrossChartAsync(0.5, 0.75);
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
        var initial = await DrawnWindowAsync(page);
        await page.DragAcrossChartAsync(0.4, 0.6);
        await Expect(page).ToHaveURLAsync(ZoomedUrl);
        await Expect(page.GetByTestId("series-chart-svg")).Not.ToHaveAttributeAsync("data-from-ms", initial.From.ToString(CultureInfo.InvariantCulture));
        var zoomed = page.Url;
        var zoomedWindow = await DrawnWindowAsync(page);
        await page.GetByTestId("pan-earlier").ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(zoomed);
        await Expect(page).ToHaveURLAsync(ZoomedUrl);
        await Expect(page.GetByTestId("series-chart-svg")).Not.ToHaveAttributeAsync("data-from-ms", zoomedWindow.From.ToString(CultureInfo.InvariantCulture));
        var link = page.Url;
        var window = await DrawnWindowAsync(page);
        Assert.True(window.From < zoomedWindow.From, "Panning earlier moves the window back in time.");

        var other = await dashboard.NewPageAsync();
        await other.OpenAsync(link);
        await Expect(other.GetByTestId("series-chart-svg")).ToHaveAttributeAsync("data-from-ms", window.From.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(window, await DrawnWindowAsync(other));
    }

    [Fact]
    public async Task OverlayDrawsEverySeriesAskedFor()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync($"/metrics/{Org}/{dashboard.BulkSeriesId}?range=7d&compare={dashboard.QueueSeriesId},{dashboard.LatencySeriesId}&shift=1");
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
