using Bunit;
using IntentVision.Dashboard.Components.Pages;

namespace IntentVision.Dashboard.Tests;

public sealed class MetricsPageTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/organizations/acme/series"] = CannedJson.Series,
    ["/api/organizations/acme/series/7"] = CannedJson.Series7,
    ["/api/organizations/acme/series/7/points"] = CannedJson.Points7,
    ["/api/organizations/acme/forecasts"] = CannedJson.Forecasts7,
    ["/api/organizations/acme/anomalies"] = CannedJson.Anomalies7,
})
{
    [Fact]
    public void Charts_actual_values_forecast_bands_and_anomalies_of_the_series()
    {
        var page = Render<Metrics>(p => p.Add(x => x.RouteOrganizationId, "acme").Add(x => x.SeriesId, 7L));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=series-chart] svg path.rz-line")));
        Assert.Contains("3 points shown", page.Find("[data-testid=point-count]").TextContent);
        Assert.Contains("cpu {host=a}", page.Find("[data-testid=chart-title]").TextContent);
        Assert.Contains("Forecast #3: theta", page.Find("[data-testid=forecast-caption]").TextContent);
        Assert.Contains("6.25", page.Find("[data-testid=anomalies-in-range]").TextContent);
    }

    [Fact]
    public void Asks_the_server_to_downsample_for_the_chart()
    {
        var page = Render<Metrics>(p => p.Add(x => x.RouteOrganizationId, "acme").Add(x => x.SeriesId, 7L));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=point-count]")));
        Assert.Contains(Api.Requests, r => r.StartsWith("/api/organizations/acme/series/7/points?", StringComparison.Ordinal) && r.Contains("maxPoints=1000"));
    }

    [Fact]
    public void A_resolution_asks_for_buckets_and_a_range_for_a_window_before_the_latest_point()
    {
        var page = Render<Metrics>(p => p.Add(x => x.RouteOrganizationId, "acme").Add(x => x.SeriesId, 7L));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=point-count]")));
        page.Find("#resolution").Change("5m");
        page.Find("#time-range").Change("1h");
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.Contains("step=5m") && r.Contains("agg=avg") && r.Contains("from=2026-10-31T23%3A02%3A00.001Z")));
    }

    [Fact]
    public void Lists_the_series_with_links_to_their_charts_and_searches_by_key_and_dimension()
    {
        var page = Render<Metrics>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=series-link]").Count));
        

        page.Find("#metric-search").Change("cpu");
        page.Find("#dimension-filter").Change("host=a");
        page.Find("form[data-testid=series-search]").Submit();
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r.Contains("search=cpu") && r.Contains("dim.host=a")));
    }

    [Fact]
    public void A_malformed_dimension_filter_is_explained_next_to_the_field()
    {
        var page = Render<Metrics>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=series-link]").Count));
        page.Find("#dimension-filter").Change("host");
        page.Find("form[data-testid=series-search]").Submit();
        page.WaitForAssertion(() => Assert.Contains("'host' is not key=value.", page.Find("#dimension-filter-error").TextContent));
        Assert.Equal("dimension-filter-error", page.Find("#dimension-filter").GetAttribute("aria-describedby"));
    }
}
