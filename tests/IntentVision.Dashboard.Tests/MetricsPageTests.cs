using Bunit;
using IntentVision.Dashboard.Components.Pages;

namespace IntentVision.Dashboard.Tests;

public sealed class MetricsPageTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = """[{"id":"acme","name":"Acme","createdAt":"2026-11-01T00:00:00Z"}]""",
    ["/api/organizations/acme/series"] = """[{"id":7,"organizationId":"acme","metricKey":"cpu","dimensions":{"host":"a"},"pointCount":3,"firstTimestamp":"2026-11-01T00:00:00Z","lastTimestamp":"2026-11-01T00:02:00Z","resolutionSeconds":60,"updatedAt":"2026-11-01T00:02:00Z"}]""",
    ["/api/organizations/acme/series/7/points"] = """{"seriesId":7,"from":null,"to":null,"points":[{"timestamp":"2026-11-01T00:00:00Z","value":1},{"timestamp":"2026-11-01T00:01:00Z","value":5},{"timestamp":"2026-11-01T00:02:00Z","value":3}]}""",
})
{
    [Fact]
    public void Charts_the_points_of_the_series_as_an_svg_line()
    {
        var page = Render<Metrics>(p => p.Add(x => x.OrganizationId, "acme").Add(x => x.SeriesId, 7L));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("svg path.rz-line")));
        Assert.Contains("3 points", page.Find("[data-testid=point-count]").TextContent);
    }

    [Fact]
    public void Without_a_series_it_asks_to_choose_one()
    {
        var page = Render<Metrics>(p => p.Add(x => x.OrganizationId, "acme"));
        page.WaitForAssertion(() => Assert.Contains("Choose a series to chart it.", page.Markup));
    }
}
