using System.Net;
using Bunit;
using IntentVision.Dashboard.Components.Pages;

namespace IntentVision.Dashboard.Tests;

public sealed class AlertsPageTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/organizations/acme/alerts"] = """
        [{"id":5,"organizationId":"acme","ruleId":2,"seriesId":7,"state":"firing","dedupKey":"7","message":"cpu above 90 (97)","value":97,"startedAt":"2026-11-01T00:00:00Z","firedAt":"2026-11-01T00:01:00Z","acknowledgedAt":null,"resolvedAt":null,"updatedAt":"2026-11-01T00:01:00Z"}]
        """,
    ["/api/organizations/acme/alert-rules"] = """
        [{"id":2,"name":"cpu hot","kind":"threshold","metricKey":"cpu","dimensionFilter":{"host":"a"},"condition":{"operator":"above","threshold":90},"channels":[],"suppression":[],"enabled":true,"createdAt":"2026-11-01T00:00:00Z","updatedAt":"2026-11-01T00:00:00Z"}]
        """,
})
{
    private IRenderedComponent<Alerts> RenderPage()
    {
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=rule-grid] tbody tr")));
        return page;
    }

    [Fact]
    public void ListsAlertsWithTheirRuleAndOffersAcknowledgeAndResolve()
    {
        var page = RenderPage();
        var row = page.Find("[data-testid=alert-grid] tbody tr");
        Assert.Contains("cpu hot", row.TextContent);
        Assert.Contains("firing", row.TextContent);
        Assert.NotNull(row.QuerySelector("[data-testid=acknowledge-alert]"));
        Assert.NotNull(row.QuerySelector("[data-testid=resolve-alert]"));
    }

    [Fact]
    public void ResolvingWhereTheApiHasNoSuchRouteSaysSoInsteadOfFailing()
    {
        Api.Writes["POST /api/organizations/acme/alerts/5/resolve"] = (HttpStatusCode.NotFound, "{}");
        var page = RenderPage();
        page.Find("[data-testid=resolve-alert]").Click();
        page.WaitForAssertion(() => Assert.Contains("Could not resolve alert 5", page.Find("[data-testid=alerts-message]").TextContent));
    }

    [Fact]
    public void AnEmptyRuleShowsAMessageNextToEachRequiredFieldAndSendsNothing()
    {
        var page = RenderPage();
        page.Find("[data-testid=new-rule]").Click();
        page.Find("form[data-testid=rule-form]").Submit();
        page.WaitForAssertion(() => Assert.Equal("Enter a name.", page.Find("#rule-name-error").TextContent.Trim()));
        Assert.Equal("Enter the metric key the rule watches.", page.Find("#rule-metric-error").TextContent.Trim());
        Assert.Equal("Enter a threshold.", page.Find("#rule-threshold-error").TextContent.Trim());
        Assert.Equal("true", page.Find("#rule-name").GetAttribute("aria-invalid"));
        Assert.Equal("rule-name-error", page.Find("#rule-name").GetAttribute("aria-describedby"));
        Assert.DoesNotContain(Api.Sent, s => s.Method == "POST");
    }

    [Fact]
    public void TheApisValidationErrorsLandNextToTheirFields()
    {
        Api.Writes["POST /api/organizations/acme/alert-rules"] = (HttpStatusCode.BadRequest,
            """{"title":"The request is not valid.","status":400,"errors":{"condition.threshold":["is required: a finite number"],"channels[0].url":["must not point at this host"]}}""");
        var page = RenderPage();
        page.Find("[data-testid=new-rule]").Click();
        page.Find("#rule-name").Change("queue deep");
        page.Find("#rule-metric").Change("queue.depth");
        page.Find("#rule-threshold").Change("100");
        page.Find("#rule-webhook").Change("http://localhost/hook");
        page.Find("#rule-secret").Change("0123456789abcdef");
        page.Find("form[data-testid=rule-form]").Submit();
        page.WaitForAssertion(() => Assert.Equal("Must not point at this host.", page.Find("#rule-webhook-error").TextContent.Trim()));
        Assert.Equal("Is required: a finite number.", page.Find("#rule-threshold-error").TextContent.Trim());
    }

    [Fact]
    public void AValidRuleIsCreatedWithItsConditionAndTheFormCloses()
    {
        Api.Writes["POST /api/organizations/acme/alert-rules"] = (HttpStatusCode.Created,
            """{"id":3,"name":"queue deep","kind":"threshold","metricKey":"queue.depth","dimensionFilter":{},"condition":{"operator":"above","threshold":100},"channels":[],"suppression":[],"enabled":true,"createdAt":"2026-11-01T00:00:00Z","updatedAt":"2026-11-01T00:00:00Z"}""");
        var page = RenderPage();
        page.Find("[data-testid=new-rule]").Click();
        page.Find("#rule-name").Change("queue deep");
        page.Find("#rule-metric").Change("queue.depth");
        page.Find("#rule-dimensions").Change("queue=orders");
        page.Find("#rule-threshold").Change("100");
        page.Find("form[data-testid=rule-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("Rule queue deep created.", page.Find("[data-testid=alerts-message]").TextContent));
        Assert.Empty(page.FindAll("form[data-testid=rule-form]"));
        var body = Api.Sent.Single(s => s.Method == "POST").Body;
        Assert.Contains("\"kind\":\"threshold\"", body);
        Assert.Contains("\"threshold\":100", body);
        Assert.Contains("\"dimensionFilter\":{\"queue\":\"orders\"}", body);
    }

    [Fact]
    public void EditingFillsTheFormAndDeletingAsksForConfirmationFirst()
    {
        Api.Writes["DELETE /api/organizations/acme/alert-rules/2"] = (HttpStatusCode.NoContent, string.Empty);
        var page = RenderPage();
        page.Find("[data-testid=edit-rule]").Click();
        Assert.Equal("cpu hot", page.Find("#rule-name").GetAttribute("value"));
        Assert.Equal("host=a", page.Find("#rule-dimensions").GetAttribute("value"));
        page.Find("[data-testid=delete-rule]").Click();
        Assert.DoesNotContain(Api.Sent, s => s.Method == "DELETE");
        page.Find("[data-testid=confirm-delete-rule]").Click();
        page.WaitForAssertion(() => Assert.Contains("Rule cpu hot deleted.", page.Find("[data-testid=alerts-message]").TextContent));
    }
}
