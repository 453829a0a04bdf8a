using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IntentVision.BrowserTests;

/// <summary>
/// Anomalies reach an open page by push: the API's event stream, read by the dashboard's server, into the page's
/// circuit. The dashboard here polls only every <see cref="DashboardTopology.RefreshSeconds"/> s, so a row that
/// appears during the test was pushed.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class LivePushTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task APushedAnomalyAppearsOnTheOpenOverviewWithoutAReload()
    {
        var page = await dashboard.NewPageAsync();
        await page.OpenAsync("/");
        await Expect(page.GetByTestId("live")).ToBeVisibleAsync();
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;
        await Expect(page.Locator("[data-testid=latest-anomaly] a", new() { HasText = "push.latency_ms" })).ToHaveCountAsync(0);

        var end = DateTimeOffset.UtcNow;
        end = new DateTimeOffset(end.Year, end.Month, end.Day, end.Hour, end.Minute, 0, TimeSpan.Zero);
        await dashboard.Topology.IngestAsync(DashboardTopology.SpikyLatency("push.latency_ms", end, new() { ["host"] = "web-9" }, seed: 9));

        await Expect(page.Locator("[data-testid=latest-anomaly] a", new() { HasText = "push.latency_ms" }).First)
            .ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Equal(0, navigations);
    }
}
