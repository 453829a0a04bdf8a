using System.Net;
using Bunit;
using IntentVision.Dashboard.Components.Pages;

namespace IntentVision.Dashboard.Tests;

public sealed class SourcesPageTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/organizations/acme/sources"] = """
        [{"id":1,"name":"node exporter","type":"prometheus","url":"http://user:pw@node:9100/metrics?token=abc","intervalSeconds":60,"enabled":true,"lastSyncAt":"2026-11-01T00:05:00Z","lastError":"connection refused","createdAt":"2026-11-01T00:00:00Z","pushPath":null}]
        """,
})
{
    [Fact]
    public void ListsSourcesWithLastSyncAndLastErrorAndMasksCredentials()
    {
        var page = Render<Sources>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=source-grid] tbody tr")));
        var row = page.Find("[data-testid=source-grid] tbody tr").TextContent;
        Assert.Contains("2026-11-01 00:05:00", row);
        Assert.Contains("connection refused", row);
        Assert.DoesNotContain("pw@", page.Markup);
        Assert.DoesNotContain("token=abc", page.Markup);
    }

    [Fact]
    public void APrometheusSourceWithoutUrlShowsMessagesNextToTheFields()
    {
        var page = Render<Sources>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("form[data-testid=source-form]")));
        page.Find("#source-interval").Change("0");
        page.Find("form[data-testid=source-form]").Submit();
        page.WaitForAssertion(() => Assert.Equal("Enter a name.", page.Find("#source-name-error").TextContent.Trim()));
        Assert.Contains("absolute http(s) URL", page.Find("#source-url-error").TextContent);
        Assert.Equal("Enter 1 to 86400 seconds.", page.Find("#source-interval-error").TextContent.Trim());
    }

    [Fact]
    public void AWebhookSourceShowsItsSecretOnce()
    {
        Api.Writes["POST /api/organizations/acme/sources"] = (HttpStatusCode.Created,
            """{"source":{"id":2,"name":"push","type":"webhook","url":null,"intervalSeconds":null,"enabled":true,"lastSyncAt":null,"lastError":null,"createdAt":"2026-11-01T00:00:00Z","pushPath":"/api/sources/2/push"},"secret":"s3cr3t-value"}""");
        var page = Render<Sources>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("form[data-testid=source-form]")));
        page.Find("#source-name").Change("push");
        page.Find("#source-type").Change("webhook");
        page.Find("form[data-testid=source-form]").Submit();
        page.WaitForAssertion(() => Assert.Equal("s3cr3t-value", page.Find("[data-testid=source-secret]").TextContent));
    }
}
