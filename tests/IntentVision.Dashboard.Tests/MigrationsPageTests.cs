using Bunit;
using IntentVision.Dashboard.Components.Pages;

namespace IntentVision.Dashboard.Tests;

public sealed class MigrationsPageTests() : DashboardTestContext(new()
{
    ["/api/migrations"] = """
        {"databaseUrl":"file:/data/intentvision.db","backend":"EmbeddedFile","isCurrent":false,"lastAppliedAt":"2026-11-29T06:53:49Z",
         "applied":[{"version":1,"name":"001_initial_schema","state":"Applied","appliedAt":"2026-11-29T06:53:49Z","durationMs":24.3,"appliedChecksum":"ab","fileChecksum":"ab","hasDownScript":true}],
         "pending":[{"version":2,"name":"002_api_keys","state":"Pending","appliedAt":null,"durationMs":null,"appliedChecksum":null,"fileChecksum":"cd","hasDownScript":true}],
         "problems":[]}
        """,
})
{
    [Fact]
    public void Shows_applied_with_time_and_pending()
    {
        var page = Render<Migrations>();
        page.WaitForAssertion(() => Assert.Contains("001_initial_schema", page.Markup));
        Assert.Contains("2026-11-29 06:53:49", page.Markup);
        Assert.Contains("002_api_keys", page.Find("[data-testid=pending-list]").TextContent);
        Assert.Equal("Not current", page.Find("[data-testid=schema-state]").TextContent);
        Assert.Equal("file:/data/intentvision.db", page.Find("[data-testid=database-url]").TextContent);
    }

    [Fact]
    public void With_the_api_down_it_shows_a_banner_not_an_exception()
    {
        Api.Down = true;
        var page = Render<Migrations>();
        page.WaitForAssertion(() => Assert.Contains("The IntentVision API is not reachable.", page.Find("[data-testid=api-error]").TextContent));
        Assert.DoesNotContain("Exception", page.Markup);
    }
}
