using Bunit;
using IntentVision.Dashboard.Components.Charts;
using IntentVision.Dashboard.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace IntentVision.Dashboard.Tests;

public sealed class MetricsPageTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/organizations/acme/series"] = CannedJson.Series,
    ["/api/organizations/acme/series/7"] = CannedJson.Series7,
    ["/api/organizations/acme/series/7/points"] = CannedJson.Points7,
    ["/api/organizations/acme/series/8"] = CannedJson.Series8,
    ["/api/organizations/acme/series/8/points"] = CannedJson.Points8,
    ["/api/organizations/acme/forecasts"] = CannedJson.Forecasts7,
    ["/api/organizations/acme/anomalies"] = CannedJson.Anomalies7,
})
{
    private IRenderedComponent<Metrics> RenderChart(string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("metrics/acme/7" + query);
        var page = Render<Metrics>(p => p.Add(x => x.RouteOrganizationId, "acme").Add(x => x.SeriesId, 7L));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=series-chart] path[data-series=actual]")));
        return page;
    }

    [Fact]
    public void ChartsActualValuesForecastBandsAndAnomaliesOfTheSeries()
    {
        var page = RenderChart();
        Assert.Contains("3 points shown", page.Find("[data-testid=point-count]").TextContent);
        Assert.Contains("cpu {host=a}", page.Find("[data-testid=chart-title]").TextContent);
        Assert.Contains("Forecast #3: theta", page.Find("[data-testid=forecast-caption]").TextContent);
        Assert.Contains("6.25", page.Find("[data-testid=anomalies-in-range]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=band-95]"));
    }

    [Fact]
    public void AsksTheServerToDownsampleForTheChart()
    {
        RenderChart();
        Assert.Contains(Api.Requests, r => r.StartsWith("/api/organizations/acme/series/7/points?", StringComparison.Ordinal) && r.Contains("maxPoints=1000"));
    }

    [Fact]
    public void AResolutionAsksForBucketsAndARangeForAWindowBeforeTheLatestPoint()
    {
        var page = RenderChart();
        page.Find("#resolution").Change("5m");
        page.WaitForAssertion(() => Assert.Contains("res=5m", Services.GetRequiredService<NavigationManager>().Uri));
        page.Find("#time-range").Change("1h");
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.Contains("step=5m") && r.Contains("agg=avg") && r.Contains("from=2026-10-31T23%3A02%3A00.001Z")));
        Assert.EndsWith("metrics/acme/7?range=1h&res=5m", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void DraggingAcrossTheChartPutsTheWindowInTheUrlAndLoadsIt()
    {
        var page = RenderChart();
        var from = new DateTime(2026, 11, 1, 0, 0, 30, DateTimeKind.Utc);
        var chart = page.FindComponent<SeriesChart>();
        page.InvokeAsync(() => chart.Instance.ZoomAsync((from - DateTime.UnixEpoch).TotalMilliseconds, (from.AddMinutes(1) - DateTime.UnixEpoch).TotalMilliseconds));

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("metrics/acme/7?from=2026-11-01T00%3A00%3A30.000Z&to=2026-11-01T00%3A01%3A30.000Z", navigation.Uri));
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.Contains("/series/7/points?from=2026-11-01T00%3A00%3A30.000Z&to=2026-11-01T00%3A01%3A30.000Z")));
        page.WaitForAssertion(() => Assert.Equal("1793491230000", page.Find("[data-testid=series-chart] svg").GetAttribute("data-from-ms")));
        Assert.Equal("Zoomed window", page.Find("#time-range option[value=custom]").TextContent);

        page.Find("[data-testid=zoom-reset]").Click();
        page.WaitForAssertion(() => Assert.EndsWith("metrics/acme/7", navigation.Uri));
    }

    [Fact]
    public void AnOpenedLinkReproducesTheZoomedViewWithItsOverlays()
    {
        var page = RenderChart("?from=2026-11-01T00:00:00.000Z&to=2026-11-01T00:02:00.000Z&compare=8&shift=7");
        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=series-chart] svg").GetAttribute("data-lines")));
        Assert.Equal("7", page.Find("#shift").GetAttribute("value"));
        Assert.Contains("queue.depth", page.Find("[data-testid=compared]").TextContent);
        Assert.Contains("Same series 7 days earlier", page.Find(".iv-legend").TextContent);
        Assert.Contains(Api.Requests, r => r.Contains("/series/8/points?from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-01T00%3A02%3A00.000Z") && r.Contains("maxPoints=500"));
        Assert.Contains(Api.Requests, r => r.Contains("/series/7/points?from=2026-10-25T00%3A00%3A00.000Z&to=2026-10-25T00%3A02%3A00.000Z"));
    }

    [Fact]
    public void TheSeriesListOffersToOverlayOtherSeries()
    {
        var page = RenderChart();
        var link = Assert.Single(page.FindAll("[data-testid=compare-link]"));
        Assert.EndsWith("metrics/acme/7?compare=8", link.GetAttribute("href"));
        Assert.Equal("Overlay queue.depth on the chart", link.GetAttribute("aria-label"));
    }

    [Fact]
    public void ListsTheSeriesWithLinksToTheirChartsAndSearchesByKeyAndDimension()
    {
        var page = Render<Metrics>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=series-link]").Count));
        Assert.Equal("cpu {host=a}", page.FindAll("[data-testid=series-link]")[0].GetAttribute("title"));

        page.Find("#metric-search").Change("cpu");
        page.Find("#dimension-filter").Change("host=a");
        page.Find("form[data-testid=series-search]").Submit();
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.Contains("search=cpu") && r.Contains("dim.host=a")));
    }

    [Fact]
    public void AMalformedDimensionFilterIsExplainedNextToTheField()
    {
        var page = Render<Metrics>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=series-link]").Count));
        page.Find("#dimension-filter").Change("host");
        page.Find("form[data-testid=series-search]").Submit();
        page.WaitForAssertion(() => Assert.Contains("'host' is not key=value.", page.Find("#dimension-filter-error").TextContent));
        Assert.Equal("dimension-filter-error", page.Find("#dimension-filter").GetAttribute("aria-describedby"));
    }
}
