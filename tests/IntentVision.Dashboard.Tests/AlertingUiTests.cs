using System.Net;
using Bunit;
using IntentVision.Dashboard.Components.Pages;

namespace IntentVision.Dashboard.Tests;

public sealed class SilencesPageTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/organizations/acme/silences"] = """
        [{"id":4,"matchers":[{"name":"service","op":"=","value":"api"}],"startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-11-01T02:00:00Z","comment":"deploy","createdBy":"alice (key k1)","state":"active","createdAt":"2026-11-01T00:00:00Z"},
         {"id":3,"matchers":[{"name":"team","op":"=~","value":"db.*"}],"startsAt":"2026-10-01T00:00:00Z","endsAt":"2026-10-01T02:00:00Z","comment":"old","createdBy":"key k1","state":"expired","createdAt":"2026-10-01T00:00:00Z"}]
        """,
})
{
    private IRenderedComponent<Silences> RenderPage()
    {
        var page = Render<Silences>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=silence-row]").Count));
        return page;
    }

    [Fact]
    public void ListsSilencesWithTheirMatchersAndStateAndOffersExpiryForActiveOnesOnly()
    {
        var page = RenderPage();
        var rows = page.FindAll("[data-testid=silence-row]");
        Assert.Contains("service=\"api\"", rows[0].TextContent);
        Assert.Equal(["active", "expired"], page.FindAll("[data-testid=silence-state]").Select(s => s.TextContent));
        Assert.Single(page.FindAll("[data-testid=expire-silence]"));
    }

    [Fact]
    public void ExpiringASilencePostsToItsExpireRoute()
    {
        Api.Writes["POST /api/organizations/acme/silences/4/expire"] = (HttpStatusCode.OK, """{"id":4,"matchers":[],"startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-11-01T00:30:00Z","comment":"deploy","createdBy":"alice","state":"expired","createdAt":"2026-11-01T00:00:00Z"}""");
        var page = RenderPage();
        page.Find("[data-testid=expire-silence]").Click();
        page.WaitForAssertion(() => Assert.Contains("Silence 4 expired.", page.Find("[data-testid=silence-message]").TextContent));
        Assert.Contains(Api.Sent, s => s is { Method: "POST", Path: "/api/organizations/acme/silences/4/expire" });
    }

    [Fact]
    public void ANewSilenceIsCheckedThenSentWithItsMatchersAndEnd()
    {
        Api.Writes["POST /api/organizations/acme/silences"] = (HttpStatusCode.Created, """{"id":5,"matchers":[{"name":"service","op":"=","value":"api"}],"startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-11-01T02:00:00Z","comment":"deploy","createdBy":"key k1","state":"active","createdAt":"2026-11-01T00:00:00Z"}""");
        var page = RenderPage();
        page.Find("form[data-testid=silence-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("name=value", page.Find("#silence-matchers-error").TextContent));
        Assert.DoesNotContain(Api.Sent, s => s.Method == "POST");

        page.Find("#silence-matchers").Change("service=api, severity=~page|critical");
        page.Find("#silence-comment").Change("deploying the api");
        page.Find("form[data-testid=silence-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains("Silence created.", page.Find("[data-testid=silence-message]").TextContent));
        var body = Api.Sent.Single(s => s.Method == "POST").Body;
        Assert.Contains("{\"name\":\"service\",\"op\":\"=\",\"value\":\"api\"}", body);
        Assert.Contains("{\"name\":\"severity\",\"op\":\"=~\",\"value\":\"page|critical\"}", body);
        Assert.Contains("\"endsAt\":", body);
    }
}

public sealed class AlertDetailsPageTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/organizations/acme/alerts/5"] = """
        {"alert":{"id":5,"organizationId":"acme","ruleId":2,"seriesId":7,"state":"acknowledged","dedupKey":"series:7","message":"cpu hot: cpu value 97 > 90","value":97,
                  "startedAt":"2026-11-01T00:00:00Z","firedAt":"2026-11-01T00:01:00Z","acknowledgedAt":"2026-11-01T00:05:00Z","resolvedAt":null,"updatedAt":"2026-11-01T00:05:00Z",
                  "labels":{"severity":"page","host":"a"},"acknowledgedBy":"alice (key k1)","silencedBy":9},
         "notifications":[
           {"id":1,"alertId":5,"channelType":"webhook","channel":"https://hooks.example/a","event":"firing","status":"delivered","attempts":2,"lastError":null,"lastStatusCode":200,
            "createdAt":"2026-11-01T00:01:00Z","nextAttemptAt":"2026-11-01T00:01:01Z","deadlineAt":"2026-11-02T00:01:00Z","finishedAt":"2026-11-01T00:01:02Z",
            "history":[{"outboxId":1,"attempt":1,"outcome":"retrying","error":"timed_out: no complete answer within 10 s","statusCode":null,"durationMs":10000,"at":"2026-11-01T00:01:10Z"},
                       {"outboxId":1,"attempt":2,"outcome":"delivered","error":null,"statusCode":200,"durationMs":12,"at":"2026-11-01T00:01:12Z"}]},
           {"id":2,"alertId":5,"channelType":"email","channel":"oncall@example.test","event":"firing","status":"failed","attempts":1,"lastError":"refused_by_policy: the destination is not allowed by the egress policy","lastStatusCode":null,
            "createdAt":"2026-11-01T00:01:00Z","nextAttemptAt":"2026-11-01T00:01:00Z","deadlineAt":"2026-11-02T00:01:00Z","finishedAt":"2026-11-01T00:01:01Z","history":[]}]}
        """,
})
{
    [Fact]
    public void ShowsWhoAcknowledgedTheSilenceAndEachNotificationsDeliveryHistory()
    {
        var page = Render<AlertDetails>(p => p.Add(x => x.AlertId, 5));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=notification-row]").Count));
        Assert.Contains("by alice (key k1)", page.Find("[data-testid=alert-acknowledged]").TextContent);
        Assert.Contains("silence 9", page.Find("[data-testid=alert-silenced]").TextContent);
        Assert.Equal("host=a, severity=page", page.Find("[data-testid=alert-labels]").TextContent);
        Assert.Equal(["delivered", "failed"], page.FindAll("[data-testid=notification-status]").Select(s => s.TextContent));
        Assert.Equal(2, page.FindAll("[data-testid=attempt-row]").Count);
        Assert.Contains("timed_out", page.FindAll("[data-testid=attempt-row]")[0].TextContent);
        Assert.StartsWith("refused_by_policy", page.FindAll("[data-testid=notification-error]")[1].TextContent);
    }

    [Fact]
    public void AnAlertOfNoOneSaysSoInsteadOfFailing()
    {
        var page = Render<AlertDetails>(p => p.Add(x => x.AlertId, 6));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=api-error], [data-testid=no-alert]")));
    }
}

public sealed class RuleExtrasEditorTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/organizations/acme/alerts"] = "[]",
    ["/api/organizations/acme/alert-rules"] = """
        [{"id":2,"name":"cpu hot","kind":"threshold","metricKey":"cpu","dimensionFilter":{},"condition":{"operator":"above","threshold":90},"channels":[],"suppression":[],"enabled":true,
          "createdAt":"2026-11-01T00:00:00Z","updatedAt":"2026-11-01T00:00:00Z","labels":{"severity":"page","team":"infra"},"runbookUrl":"https://runbooks.example/cpu","noData":{"state":"keep_last","afterSeconds":900}}]
        """,
})
{
    [Fact]
    public void EditingARuleKeepsItsLabelsRunbookAndNoDataAndSendsThemBack()
    {
        Api.Writes["PUT /api/organizations/acme/alert-rules/2"] = (HttpStatusCode.OK, """{"id":2,"name":"cpu hot","kind":"threshold","metricKey":"cpu","dimensionFilter":{},"condition":{"operator":"above","threshold":90},"channels":[],"suppression":[],"enabled":true,"createdAt":"2026-11-01T00:00:00Z","updatedAt":"2026-11-01T00:00:00Z"}""");
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=edit-rule]")));
        page.Find("[data-testid=edit-rule]").Click();
        Assert.Equal("severity=page, team=infra", page.Find("[data-testid=rule-labels]").GetAttribute("value"));
        Assert.Equal("https://runbooks.example/cpu", page.Find("[data-testid=rule-runbook]").GetAttribute("value"));
        Assert.Equal("900", page.Find("[data-testid=rule-nodata-after]").GetAttribute("value"));
        page.Find("[data-testid=rule-labels]").Change("severity=ticket");
        page.Find("form[data-testid=rule-form]").Submit();
        page.WaitForAssertion(() => Assert.Contains(Api.Sent, s => s.Method == "PUT"));
        var body = Api.Sent.Single(s => s.Method == "PUT").Body;
        Assert.Contains("\"labels\":{\"severity\":\"ticket\"}", body);
        Assert.Contains("\"runbookUrl\":\"https://runbooks.example/cpu\"", body);
        Assert.Contains("\"noData\":{\"state\":\"keep_last\",\"afterSeconds\":900}", body);
    }

    [Fact]
    public void ABadRunbookLinkIsNamedBeforeAnythingIsSent()
    {
        var page = Render<Alerts>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=edit-rule]")));
        page.Find("[data-testid=edit-rule]").Click();
        page.Find("[data-testid=rule-runbook]").Change("not a link");
        page.Find("form[data-testid=rule-form]").Submit();
        page.WaitForAssertion(() => Assert.Equal("Enter an absolute http(s) URL.", page.Find("#rule-runbook-error").TextContent.Trim()));
        Assert.DoesNotContain(Api.Sent, s => s.Method == "PUT");
    }
}
