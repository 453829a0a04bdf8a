using System.Net;
using Bunit;
using IntentVision.Dashboard.Components.Pages;

namespace IntentVision.Dashboard.Tests;

public sealed class AnomalyWhyPanelTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/organizations/acme/series"] = """[{"id":7,"organizationId":"acme","metricKey":"web.latency_ms","dimensions":{"host":"a"},"pointCount":3,"firstTimestamp":"2026-11-01T00:00:00Z","lastTimestamp":"2026-11-01T00:02:00Z","resolutionSeconds":60,"updatedAt":"2026-11-01T00:02:00Z"}]""",
    ["/api/organizations/acme/anomalies"] = "[" + Explained + "," + Unexplained + "]",
    ["/api/organizations/acme/series/7/points"] = CannedJson.Points7,
})
{
    private const string Explained = """
        {"id":21,"organizationId":"acme","seriesId":7,"timestamp":"2026-11-01T00:01:00Z","value":516.52277,"expected":412.5,"score":0.97,"severity":"high","type":"level_shift","context":"{}","detectedAt":"2026-11-01T00:01:05Z","acknowledgedAt":null,"acknowledgedBy":null,
         "explanation":{"expected":412.5,"lower":380.1,"upper":445.0,"deviation":7.3,"detector":"contextual-v2","seasonalPeriodSeconds":86400,"type":"level_shift","summary":"Level shift up: 7.3 robust SDs above the expected 412.5 (band 380.1 to 445.0), daily seasonality"},
         "feedback":null}
        """;

    private const string Unexplained = """
        {"id":20,"organizationId":"acme","seriesId":7,"timestamp":"2026-11-01T00:00:00Z","value":3,"expected":1,"score":0.5,"severity":"low","type":"point","context":"{}","detectedAt":"2026-11-01T00:00:05Z","acknowledgedAt":null,"acknowledgedBy":null}
        """;

    private IRenderedComponent<Anomalies> RenderGrid()
    {
        var page = Render<Anomalies>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=anomaly-grid] tbody tr").Count));
        return page;
    }

    [Fact]
    public void OnlyExplainedAnomaliesOfferTheWhyPanel()
    {
        var page = RenderGrid();
        var why = Assert.Single(page.FindAll("[data-testid=why-anomaly]"));
        Assert.Equal("Why is anomaly 21 of web.latency_ms {host=a} an anomaly?", why.GetAttribute("aria-label"));
        Assert.Empty(page.FindAll("[data-testid=why-panel]"));
    }

    [Fact]
    public void TheRowReadsInTheMetricsUnitWithTheFullNameOnHover()
    {
        var page = RenderGrid();
        var row = page.FindAll("[data-testid=anomaly-grid] tbody tr")[0];
        Assert.Contains("516.5 ms", row.TextContent);
        Assert.Contains("412.5 ms", row.TextContent);
        Assert.Equal("web.latency_ms {host=a}", row.QuerySelector("a.iv-truncate")!.GetAttribute("title"));
    }

    [Fact]
    public void ThePanelExplainsBesideAChartOfTheDayAroundIt()
    {
        var page = RenderGrid();
        page.Find("[data-testid=why-anomaly]").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=why-panel] [data-testid=series-chart]")));
        Assert.StartsWith("Level shift up: 7.3 robust SDs", page.Find("[data-testid=why-summary]").TextContent);
        Assert.Equal("380.1 ms to 445 ms", page.Find("[data-testid=why-band]").TextContent);
        Assert.Contains("daily", page.Find("[data-testid=why-panel]").TextContent);
        Assert.NotNull(page.Find("[data-testid=why-panel] [data-testid=expected-band]"));
        Assert.Contains(Api.Requests, r => r.StartsWith("/api/organizations/acme/series/7/points?from=2026-10-31T12%3A01%3A00.000Z&to=2026-11-01T12%3A01%3A00.000Z", StringComparison.Ordinal));
    }

    [Fact]
    public void NotAnAnomalyPostsTheVerdictAndWithdrawingItDeletesIt()
    {
        var marked = Explained.Replace("\"feedback\":null", "\"feedback\":{\"verdict\":\"not_anomaly\",\"comment\":\"deploy window\",\"by\":\"key:12\",\"at\":\"2026-11-29T10:00:00Z\"}", StringComparison.Ordinal);
        Api.Writes["POST /api/organizations/acme/anomalies/21/feedback"] = (HttpStatusCode.OK, marked);
        Api.Writes["DELETE /api/organizations/acme/anomalies/21/feedback"] = (HttpStatusCode.OK, Explained);
        var page = RenderGrid();
        page.Find("[data-testid=why-anomaly]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#feedback-comment")));
        page.Find("#feedback-comment").Change("deploy window");
        page.Find("[data-testid=mark-not-anomaly]").Click();

        page.WaitForAssertion(() => Assert.Contains("deploy window", page.Find("[data-testid=feedback-state]").TextContent));
        var post = Assert.Single(Api.Sent, s => s.Method == "POST");
        Assert.Equal("""{"verdict":"not_anomaly","comment":"deploy window"}""", post.Body);
        Assert.Contains("not an anomaly", page.FindAll("[data-testid=anomaly-grid] tbody tr")[0].TextContent);

        page.Find("[data-testid=clear-feedback]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=mark-not-anomaly]")));
        Assert.Single(Api.Sent, s => s.Method == "DELETE" && s.Path == "/api/organizations/acme/anomalies/21/feedback");
    }

    [Fact]
    public void ARefusedVerdictIsReported()
    {
        Api.Writes["POST /api/organizations/acme/anomalies/21/feedback"] = (HttpStatusCode.BadRequest, """{"title":"Unknown verdict.","status":400}""");
        var page = RenderGrid();
        page.Find("[data-testid=why-anomaly]").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=mark-not-anomaly]")));
        page.Find("[data-testid=mark-not-anomaly]").Click();
        page.WaitForAssertion(() => Assert.Equal("The API refused: Unknown verdict.", page.Find("[data-testid=feedback-message]").TextContent));
    }
}
