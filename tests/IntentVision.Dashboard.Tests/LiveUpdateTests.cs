using System.IO.Pipelines;
using System.Text;
using Bunit;
using IntentVision.Dashboard.Components.Pages;
using IntentVision.Dashboard.Services.Live;

namespace IntentVision.Dashboard.Tests;

public sealed class LiveUpdateTests() : DashboardTestContext(new()
{
    ["/api/organizations"] = CannedJson.Organizations,
    ["/api/migrations"] = CannedJson.Migrations,
    ["/api/organizations/acme/series"] = CannedJson.Series,
    ["/api/organizations/acme/anomalies"] = CannedJson.ManyAnomalies(2),
    ["/api/organizations/acme/alerts"] = "[]",
})
{
    [Fact]
    public async Task APushedAnomalyReloadsTheOverviewWithoutWaitingForTheTimer()
    {
        Api.Events = new Pipe();
        var page = Render<Home>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=latest-anomaly]").Count));
        page.WaitForAssertion(() => Assert.Contains(Api.Requests, r => r == "/api/events"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=live]")), TimeSpan.FromSeconds(5));

        Api.Answer("/api/organizations/acme/anomalies", CannedJson.ManyAnomalies(3));
        await Api.Events.Writer.WriteAsync(Encoding.UTF8.GetBytes(": heartbeat\n\nevent: anomaly.detected\ndata: {\"seriesId\":7,\"count\":1}\n\n"));

        // The page polls every 10 s (DashboardOptions); the push reloads it at once.
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=latest-anomaly]").Count), TimeSpan.FromSeconds(5));
        Assert.Equal("3", page.Find("[data-testid=open-anomalies]").TextContent);
    }

    [Fact]
    public async Task TheStreamIsReadEventByEventWithCommentsSkipped()
    {
        var body = new MemoryStream(Encoding.UTF8.GetBytes(": subscribed\n\nevent: alert.changed\ndata: {\"seriesId\":3,\ndata:\"state\":\"firing\"}\n\ndata: plain\n\n"));
        var events = new List<LiveEvent>();
        await foreach (var e in ServerSentEventReader.ReadAsync(body, CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal(2, events.Count);
        Assert.Equal("alert.changed", events[0].Type);
        Assert.Equal(3, events[0].SeriesId);
        Assert.Equal(new LiveEvent("message", "plain"), events[1]);
        Assert.Null(events[1].SeriesId);
    }
}
