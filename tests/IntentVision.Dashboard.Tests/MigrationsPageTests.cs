using Bunit;
using IntentVision.Dashboard.Components.Pages;

namespace IntentVision.Dashboard.Tests;

public sealed class MigrationsPageTests() : DashboardTestContext(new()
{
    ["/api/migrations"] = CannedJson.Migrations,
})
{
    [Fact]
    public void ShowsAppliedWithTimePendingAndDrift()
    {
        var page = Render<Migrations>();
        page.WaitForAssertion(() => Assert.Contains("001_initial_schema", page.Markup));
        Assert.Contains("2026-11-29 06:53:49", page.Markup);
        Assert.Contains("002_api_keys", page.Find("[data-testid=pending-list]").TextContent);
        Assert.Contains("the file changed after it was applied", page.Find("[data-testid=drift-list]").TextContent);
        Assert.Equal("Not current", page.Find("[data-testid=schema-state]").TextContent);
        Assert.Equal("Remote", page.Find("[data-testid=database-mode]").TextContent);
        Assert.Equal("not reported by the API", page.Find("[data-testid=engine-version]").TextContent);
    }

    [Fact]
    public void MasksATokenInTheDatabaseUrl()
    {
        var page = Render<Migrations>();
        page.WaitForAssertion(() => Assert.Contains("001_initial_schema", page.Markup));
        Assert.Equal("libsql://db-acme.turso.io?authToken=••••", page.Find("[data-testid=database-url]").TextContent);
        Assert.DoesNotContain("secret-token-value", page.Markup);
    }

    [Fact]
    public void WithTheApiDownItShowsABannerNotAnException()
    {
        Api.Down = true;
        var page = Render<Migrations>();
        page.WaitForAssertion(() => Assert.Contains("The IntentVision API is not reachable.", page.Find("[data-testid=api-error]").TextContent));
        Assert.DoesNotContain("Exception", page.Markup);
    }
}
