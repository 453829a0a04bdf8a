using Bunit;
using IntentVision.Dashboard.Components.Pages;

namespace IntentVision.Dashboard.Tests;

public sealed class OverviewPageTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/migrations"] = CannedJson.Migrations,
    ["/api/organizations/acme/series"] = CannedJson.Series,
    ["/api/organizations/acme/anomalies"] = CannedJson.ManyAnomalies(6),
    ["/api/organizations/acme/alerts"] = "[]",
})
{
    [Fact]
    public void ShowsCountsOpenAnomaliesBySeverityAndTheDatabaseMode()
    {
        var page = Render<Home>();
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=series-count]").TextContent));
        Assert.Equal("6", page.Find("[data-testid=open-anomalies]").TextContent);
        Assert.Contains("high 2", page.Find("[data-testid=open-by-severity]").TextContent);
        Assert.Equal("0", page.Find("[data-testid=firing-alerts]").TextContent);
        Assert.Equal("Remote", page.Find("[data-testid=database-mode]").TextContent);
        Assert.Equal(6, page.FindAll("[data-testid=latest-anomalies-table] tbody tr").Count);
        Assert.NotNull(page.Find("[data-testid=no-alerts]"));
    }

    [Fact]
    public void WithTheApiDownItShowsABannerAndRecoversWhenTheApiReturns()
    {
        Api.Down = true;
        var page = Render<Home>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=api-error]")));
        Assert.DoesNotContain("Exception", page.Markup);
        Api.Down = false;
        // The page polls every 10 s; the test runs that same reload instead of waiting for the timer.
        page.InvokeAsync(page.Instance.TickAsync);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=api-error]")));
        Assert.Equal("2", page.Find("[data-testid=series-count]").TextContent);
    }
}

public sealed class EmptyOverviewPageTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = "[]",
    ["/api/migrations"] = CannedJson.Migrations,
})
{
    [Fact]
    public void WithoutAnOrganizationItShowsThePlatformStateAndExplainsHowToStart()
    {
        var page = Render<Home>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=no-organization]")));
        Assert.Equal("Remote", page.Find("[data-testid=database-mode]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=api-error]"));
    }
}
