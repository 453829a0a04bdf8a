using System.Net;
using Bunit;
using IntentVision.Dashboard.Components.Pages;

namespace IntentVision.Dashboard.Tests;

public sealed class AnomaliesPageTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/organizations/acme/series"] = CannedJson.Series,
    ["/api/organizations/acme/anomalies"] = CannedJson.ManyAnomalies(40),
})
{
    private IRenderedComponent<Anomalies> RenderGrid()
    {
        var page = Render<Anomalies>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=anomaly-grid] tbody tr")));
        return page;
    }

    private static List<string> Column(IRenderedComponent<Anomalies> page, int index) =>
        page.FindAll("[data-testid=anomaly-grid] tbody tr").Select(r => r.QuerySelectorAll("td")[index].TextContent.Trim()).ToList();

    [Fact]
    public void PagesFifteenRowsAtATime()
    {
        var page = RenderGrid();
        Assert.Equal(15, page.FindAll("[data-testid=anomaly-grid] tbody tr").Count);
        var first = Column(page, 0);
        page.Find("[data-testid=anomaly-grid] .rz-pager-next").Click();
        page.WaitForAssertion(() => Assert.NotEqual(first, Column(page, 0)));
        page.Find("[data-testid=anomaly-grid] .rz-pager-last").Click();
        page.WaitForAssertion(() => Assert.Equal(10, page.FindAll("[data-testid=anomaly-grid] tbody tr").Count));
    }

    [Fact]
    public void SortsNewestFirstAndByScoreWhenItsHeaderIsClicked()
    {
        var page = RenderGrid();
        Assert.Equal("2026-11-01 00:40", Column(page, 0)[0]);
        page.FindAll("[data-testid=anomaly-grid] th").Single(h => h.TextContent.Contains("Score")).QuerySelector(".rz-sortable-column, .rz-column-title, span")!.Click();
        page.WaitForAssertion(() => Assert.Equal("1.50", Column(page, 5)[0]));
    }

    [Fact]
    public void FiltersOnAColumnValue()
    {
        var page = RenderGrid();
        var seriesFilter = page.FindAll("[data-testid=anomaly-grid] thead .rz-cell-filter input")[0];
        seriesFilter.Change("queue");
        page.WaitForAssertion(() => Assert.All(Column(page, 1), s => Assert.Equal("queue.depth", s)));
    }

    [Fact]
    public void AcknowledgingPostsToTheApiAndSaysSo()
    {
        Api.Writes["POST /api/organizations/acme/anomalies/40/acknowledge"] = (HttpStatusCode.OK, """{"id":40,"organizationId":"acme","seriesId":7,"timestamp":"2026-11-01T00:40:00Z","value":400,"expected":40,"score":40.5,"severity":"low","type":"point","context":"{}","detectedAt":"2026-11-01T00:00:00Z","acknowledgedAt":"2026-11-01T01:00:00Z","acknowledgedBy":"bootstrap"}""");
        var page = RenderGrid();
        page.FindAll("[data-testid=acknowledge-anomaly]")[0].Click();
        page.WaitForAssertion(() => Assert.Contains("Anomaly 40 of cpu {host=a} acknowledged.", page.Find("[data-testid=anomaly-message]").TextContent));
        Assert.Contains(Api.Sent, s => s.Method == "POST" && s.Path == "/api/organizations/acme/anomalies/40/acknowledge");
        Assert.Contains(Api.Requests, r => r.Contains("acknowledged=false"));
    }
}
