using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntentVision.Api.Alerting;

namespace IntentVision.Api.Tests;

public abstract class AlertingTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    private const string Secret = "webhook-secret-0123456789";

    private static object ThresholdRule(string name, string url, object? suppression = null) => new
    {
        name,
        kind = "threshold",
        metricKey = "queue.depth",
        dimensionFilter = new { queue = "orders" },
        condition = new { @operator = "above", threshold = 100, durationSeconds = 120, pendingSeconds = 60 },
        channels = new[] { new { type = "webhook", url, secret = Secret } },
        suppression = suppression ?? Array.Empty<object>(),
        labels = new { severity = "page", team = "payments" },
        runbookUrl = "https://runbooks.example/queue-depth",
    };

    private static DateTimeOffset WholeMinute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task RulesAreCreatedReadReplacedAndDeletedAndNeverShowSecrets()
    {
        var tenant = await factory.NewTenant("alerts:write", "metrics:read");
        var created = await tenant.Client.PostAsJsonAsync("/api/alert-rules", ThresholdRule("crud", "http://127.0.0.1:9/hook"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.Json();
        Assert.DoesNotContain(Secret, rule.ToString());
        Assert.True(rule.GetProperty("channels")[0].GetProperty("hasSecret").GetBoolean());
        Assert.Equal("page", rule.GetProperty("labels").GetProperty("severity").GetString());
        Assert.Equal("https://runbooks.example/queue-depth", rule.GetProperty("runbookUrl").GetString());
        Assert.Equal("no_data", rule.GetProperty("noData").GetProperty("state").GetString());
        var id = rule.GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.PostAsJsonAsync("/api/alert-rules", ThresholdRule("crud", "http://127.0.0.1:9/hook"))).StatusCode);
        var replaced = await tenant.Client.PutAsJsonAsync($"/api/alert-rules/{id}", ThresholdRule("crud-renamed", "http://127.0.0.1:9/hook"));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("crud-renamed", (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alert-rules/{id}")).GetProperty("name").GetString());
        Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alert-rules")).EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/alert-rules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync($"/api/alert-rules/{id}")).StatusCode);
    }

    private const string Base = "\"name\":\"r\",\"kind\":\"missing_data\",\"metricKey\":\"cpu\",\"condition\":{\"maxSilenceSeconds\":60}";

    public static TheoryData<string, string> BadRules => new()
    {
        { """{"kind":"threshold","metricKey":"cpu","condition":{"operator":"above","threshold":1}}""", "name" },
        { """{"name":"r","kind":"sometimes","metricKey":"cpu","condition":{}}""", "kind" },
        { """{"name":"r","kind":"threshold","metricKey":"cpu; DROP TABLE alert_rules","condition":{"operator":"above","threshold":1}}""", "metricKey" },
        { """{"name":"r","kind":"threshold","metricKey":"cpu","condition":{"operator":"sideways","threshold":1}}""", "condition.operator" },
        { """{"name":"r","kind":"threshold","metricKey":"cpu","condition":{"operator":"above"}}""", "condition.threshold" },
        { """{"name":"r","kind":"threshold","metricKey":"cpu","condition":{"operator":"above","threshold":1,"durationSeconds":-5}}""", "condition.durationSeconds" },
        { """{"name":"r","kind":"threshold","metricKey":"cpu","condition":{"operator":"above","threshold":1,"durationSeconds":1e30}}""", "condition.durationSeconds" },
        { """{"name":"r","kind":"threshold","metricKey":"cpu","condition":{"operator":"above","threshold":1,"keepFiringForSeconds":1e300}}""", "condition.keepFiringForSeconds" },
        { """{"name":"r","kind":"anomaly","metricKey":"cpu","condition":{"minimumSeverity":"dire","lookbackSeconds":60}}""", "condition.minimumSeverity" },
        { """{"name":"r","kind":"forecast_breach","metricKey":"cpu","condition":{"operator":"above","threshold":1}}""", "condition.horizonSeconds" },
        { """{"name":"r","kind":"rate_of_change","metricKey":"cpu","condition":{"unitSeconds":60,"lookbackSeconds":600}}""", "condition.maxChangePerUnit" },
        { """{"name":"r","kind":"missing_data","metricKey":"cpu","condition":{}}""", "condition.maxSilenceSeconds" },
        { "{" + Base + ""","channels":[{"type":"pager","url":"ftp://x","secret":"short"}]}""", "channels[0].type" },
        { "{" + Base + ""","channels":[{"type":"webhook","url":"ftp://x","secret":"0123456789abcdef"}]}""", "channels[0].url" },
        { "{" + Base + ""","channels":[{"type":"webhook","url":"http://example.org","secret":"short"}]}""", "channels[0].secret" },
        { "{" + Base + ""","channels":[{"type":"webhook","url":"http://169.254.169.254/latest","secret":"0123456789abcdef"}]}""", "channels[0].url" },
        { "{" + Base + ""","channels":[{"type":"slack","url":"http://[::ffff:10.0.0.1]/hook"}]}""", "channels[0].url" },
        { "{" + Base + ""","channels":[{"type":"email","to":["not an address"]}]}""", "channels[0].to" },
        { "{" + Base + ""","channels":[{"type":"email","to":["oncall@example.test"]}]}""", "channels[0].type" },
        { "{" + Base + ""","channels":[{"type":"slack","url":"https://hooks.example/x","text":"{{#alerts}}never closed"}]}""", "channels[0].text" },
        { "{" + Base + ",\"channels\":[" + string.Join(",", Enumerable.Repeat("""{"type":"slack","url":"https://hooks.example/x"}""", 11)) + "]}", "channels" },
        { "{" + Base + ""","suppression":[{"dailyStart":"25:00","dailyEnd":"06:00"}]}""", "suppression[0]" },
        { "{" + Base + ""","dimensionFilter":{"bad key":"x"}}""", "dimensionFilter.bad key" },
        { "{" + Base + ""","labels":{"bad key":"x"}}""", "labels.bad key" },
        { "{" + Base + ""","runbookUrl":"javascript:alert(1)"}""", "runbookUrl" },
        { "{" + Base + ""","noData":{"state":"panic"}}""", "noData.state" },
        { "{" + Base + ""","notification":{"groupIntervalSeconds":0}}""", "notification.groupIntervalSeconds" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task BadRulesAre400NamingTheFieldAndWriteNothing(string body, string field)
    {
        var tenant = await factory.NewTenant("alerts:write");
        var response = await tenant.Client.PostAsync("/api/alert-rules", TestData.JsonBody(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Json();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await TestData.Count(factory.DataSource, "alert_rules", tenant.Id));
    }

    [Fact]
    public async Task AnAlertGoesPendingFiringAcknowledgedOnceResolvedAndTheWebhookGetsSignedPosts()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        var failuresLeft = 1;

        // The first delivery fails once, so the retry is exercised on a real socket.
        hook.Answer = (_, _) => Task.FromResult(Interlocked.Decrement(ref failuresLeft) >= 0 ? 503 : 200);
        var tenant = await factory.NewTenant("admin");
        var rule = await (await tenant.Client.PostAsJsonAsync("/api/alert-rules", ThresholdRule("depth", hook.Url()))).Json();
        var ruleId = rule.GetProperty("id").GetInt64();
        var job = factory.Service<AlertEvaluationJob>();

        var t0 = WholeMinute(DateTimeOffset.UtcNow.AddMinutes(-30));
        await tenant.Client.Ingest("queue.depth", 10, _ => 10, new { queue = "orders" }, t0);
        await tenant.Client.Ingest("queue.depth", 10, _ => 500, new { queue = "other" }, t0);
        await job.RunOnceAsync(t0.AddMinutes(10), CancellationToken.None);
        Assert.Empty((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());

        // Above the threshold, but for only one minute of data so far (the duration is two).
        await tenant.Client.Ingest("queue.depth", 4, _ => 250, new { queue = "orders" }, t0.AddMinutes(10));
        await job.RunOnceAsync(t0.AddMinutes(11).AddSeconds(30), CancellationToken.None);
        Assert.Empty((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        await job.RunOnceAsync(t0.AddMinutes(13).AddSeconds(10), CancellationToken.None);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        Assert.Equal(ruleId, alert.GetProperty("ruleId").GetInt64());
        Assert.Equal(t0.AddMinutes(10), alert.GetProperty("startedAt").GetDateTimeOffset());

        // The condition began at the first breaching point, so it fires at once (the 60 s pending passed long ago).
        Assert.Equal("firing", alert.GetProperty("state").GetString());
        Assert.Equal("page", alert.GetProperty("labels").GetProperty("severity").GetString());
        Assert.Equal("orders", alert.GetProperty("labels").GetProperty("queue").GetString());
        await factory.DeliverAsync(tenant.Id);

        var alertId = alert.GetProperty("id").GetInt64();
        var details = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alertId}");
        Assert.Equal(250, details.GetProperty("trigger").GetProperty("value").GetDouble());
        Assert.Equal("orders", details.GetProperty("series").GetProperty("dimensions").GetProperty("queue").GetString());
        Assert.False(details.GetProperty("alert").TryGetProperty("details", out _));
        var notification = Assert.Single(details.GetProperty("notifications").EnumerateArray());
        Assert.Equal("delivered", notification.GetProperty("status").GetString());
        Assert.Equal(2, notification.GetProperty("attempts").GetInt32());
        Assert.Equal(["retrying", "delivered"], notification.GetProperty("history").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
        Assert.Equal("bad_response: HTTP 503", notification.GetProperty("history")[0].GetProperty("error").GetString());

        var firing = Assert.Single(hook.Received);
        Assert.Equal("firing", firing.Event);
        Assert.Equal(WebhookSignature.SignTimestamped(Secret, long.Parse(firing.Timestamp), firing.Body), firing.Signature);
        var payload = JsonDocument.Parse(firing.Body).RootElement;
        Assert.Equal("firing", payload.GetProperty("status").GetString());
        var sent = Assert.Single(payload.GetProperty("alerts").EnumerateArray());
        Assert.Equal(alertId, sent.GetProperty("id").GetInt64());
        Assert.Equal("orders", sent.GetProperty("series").GetProperty("dimensions").GetProperty("queue").GetString());
        Assert.Equal("queue.depth", sent.GetProperty("series").GetProperty("metric").GetString());
        Assert.Equal("above", sent.GetProperty("condition").GetProperty("operator").GetString());
        Assert.Equal(100, sent.GetProperty("condition").GetProperty("threshold").GetDouble());
        Assert.Equal("PT2M", sent.GetProperty("condition").GetProperty("duration").GetString());
        Assert.Equal(250, sent.GetProperty("trigger").GetProperty("value").GetDouble());
        Assert.Equal("payments", sent.GetProperty("labels").GetProperty("team").GetString());
        Assert.Equal("https://runbooks.example/queue-depth", sent.GetProperty("rule").GetProperty("runbookUrl").GetString());
        Assert.Equal($"http://dashboard.test/alerts/{alertId}", sent.GetProperty("dashboardUrl").GetString());
        Assert.Contains("required PT2M", sent.GetProperty("message").GetString());

        // Acknowledged once: who and when stay as first recorded, through evaluations and a second acknowledgement.
        var ack = await (await tenant.Client.PostAsJsonAsync($"/api/alerts/{alertId}/acknowledge", new { by = "alice" })).Json();
        Assert.Equal("acknowledged", ack.GetProperty("state").GetString());
        Assert.StartsWith("alice (key ", ack.GetProperty("acknowledgedBy").GetString());
        await tenant.Client.Ingest("queue.depth", 1, _ => 260, new { queue = "orders" }, t0.AddMinutes(14));
        await job.RunOnceAsync(t0.AddMinutes(15), CancellationToken.None);
        var again = await (await tenant.Client.PostAsJsonAsync($"/api/alerts/{alertId}/acknowledge", new { by = "bob" })).Json();
        Assert.Equal(ack.GetProperty("acknowledgedAt").GetDateTimeOffset(), again.GetProperty("acknowledgedAt").GetDateTimeOffset());
        Assert.Equal(ack.GetProperty("acknowledgedBy").GetString(), again.GetProperty("acknowledgedBy").GetString());
        Assert.Equal(ack.GetProperty("updatedAt").GetDateTimeOffset(), again.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());

        // Back under the threshold: resolved, and the resolution is delivered too.
        await tenant.Client.Ingest("queue.depth", 1, _ => 5, new { queue = "orders" }, t0.AddMinutes(16));
        await job.RunOnceAsync(t0.AddMinutes(16.5), CancellationToken.None);
        await factory.DeliverAsync(tenant.Id);
        var resolved = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alertId}");
        Assert.Equal("resolved", resolved.GetProperty("alert").GetProperty("state").GetString());
        Assert.Equal(2, resolved.GetProperty("notifications").GetArrayLength());
        Assert.Equal(["firing", "resolved"], hook.Received.Select(r => r.Event));
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.PostAsync($"/api/alerts/{alertId}/acknowledge", null)).StatusCode);
    }

    [Fact]
    public async Task AFailingWebhookIsRetriedUntilItFailsAndTheFailureIsRecordedAndLogged()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        hook.Answer = (_, _) => Task.FromResult(500);
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", new
        {
            name = "silence",
            kind = "missing_data",
            metricKey = "heartbeat",
            condition = new { maxSilenceSeconds = 60 },
            channels = new[] { new { type = "webhook", url = hook.Url(), secret = Secret } },
        });
        await tenant.Client.Ingest("heartbeat", 1, _ => 1, start: DateTimeOffset.UtcNow.AddMinutes(-10));
        await factory.Service<AlertEvaluationJob>().RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        await factory.DeliverAsync(tenant.Id);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts?state=firing")).EnumerateArray());
        var notification = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.GetProperty("id").GetInt64()}")).GetProperty("notifications").EnumerateArray());
        Assert.Equal("failed", notification.GetProperty("status").GetString());
        Assert.Equal(3, notification.GetProperty("attempts").GetInt32());
        Assert.Equal(3, hook.Arrivals);
        Assert.Equal(500, notification.GetProperty("lastStatusCode").GetInt32());
        Assert.Contains(factory.Logs, l => l.Contains("failed for good", StringComparison.Ordinal) && l.Contains(tenant.Id, StringComparison.Ordinal));
        var failed = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/notifications?status=failed");
        Assert.Single(failed.EnumerateArray());
    }

    [Fact]
    public async Task AnOpenAlertIsResolvedByHandWithANotificationAndTheNextBreachOpensANewOne()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", new
        {
            name = "manual",
            kind = "missing_data",
            metricKey = "manual.heartbeat",
            condition = new { maxSilenceSeconds = 60 },
            channels = new[] { new { type = "webhook", url = hook.Url(), secret = Secret } },
        });
        var now = DateTimeOffset.UtcNow;
        await tenant.Client.Ingest("manual.heartbeat", 1, _ => 1, start: now.AddMinutes(-10));
        var job = factory.Service<AlertEvaluationJob>();
        await job.RunOnceAsync(now, CancellationToken.None);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts?state=firing")).EnumerateArray());
        var alertId = alert.GetProperty("id").GetInt64();
        await factory.DeliverAsync(tenant.Id);

        var resolved = await tenant.Client.PostAsync($"/api/alerts/{alertId}/resolve", null);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var body = await resolved.Json();
        Assert.Equal("resolved", body.GetProperty("state").GetString());
        Assert.StartsWith("key ", body.GetProperty("resolvedBy").GetString());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("resolvedAt").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostAsync($"/api/alerts/{alertId}/resolve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.PostAsync($"/api/alerts/{alertId}/acknowledge", null)).StatusCode);
        await factory.DeliverAsync(tenant.Id);
        Assert.Equal(["firing", "resolved"], hook.Received.Select(r => r.Event));

        // Still silent: the rule still breaches, so the next pass opens a fresh alert rather than reviving this one.
        await job.RunOnceAsync(now.AddMinutes(1), CancellationToken.None);
        var open = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts?state=firing")).EnumerateArray());
        Assert.NotEqual(alertId, open.GetProperty("id").GetInt64());

        var other = await factory.NewTenant("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PostAsync($"/api/alerts/{alertId}/resolve", null)).StatusCode);
        var readOnly = factory.Client(await factory.NewKey(tenant.Id, ["metrics:read"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PostAsync($"/api/alerts/{open.GetProperty("id").GetInt64()}/resolve", null)).StatusCode);
    }

    [Fact]
    public async Task ASuppressionWindowKeepsAlertsFromOpening()
    {
        var tenant = await factory.NewTenant("admin");
        var now = DateTimeOffset.UtcNow;
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", new
        {
            name = "suppressed",
            kind = "missing_data",
            metricKey = "quiet",
            condition = new { maxSilenceSeconds = 60 },
            suppression = new[] { new { from = now.AddHours(-1), to = now.AddHours(1) } },
        });
        await tenant.Client.Ingest("quiet", 1, _ => 1, start: now.AddMinutes(-10));
        await factory.Service<AlertEvaluationJob>().RunOnceAsync(now, CancellationToken.None);
        Assert.Empty((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        await factory.Service<AlertEvaluationJob>().RunOnceAsync(now.AddHours(2), CancellationToken.None);
        Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
    }

    [Fact]
    public async Task AThresholdSeriesThatStopsReportingGoesToNoDataAndBackToFiringWhenDataReturns()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", new
        {
            name = "stale",
            kind = "threshold",
            metricKey = "temp",
            condition = new { @operator = "above", threshold = 50, durationSeconds = 10 },
            noData = new { afterSeconds = 30 },
            channels = new[] { new { type = "webhook", url = hook.Url(), secret = Secret } },
        });
        var t0 = WholeMinute(DateTimeOffset.UtcNow.AddMinutes(-20));
        await tenant.Client.Ingest("temp", 3, _ => 80, start: t0, step: TimeSpan.FromSeconds(10));
        var job = factory.Service<AlertEvaluationJob>();

        // Three points over 20 s, above the 10 s duration: firing.
        await job.RunOnceAsync(t0.AddSeconds(25), CancellationToken.None);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        Assert.Equal("firing", alert.GetProperty("state").GetString());
        await factory.DeliverAsync(tenant.Id);

        // No point for more than 30 s: no_data, not "firing forever".
        await job.RunOnceAsync(t0.AddSeconds(80), CancellationToken.None);
        Assert.Equal("no_data", (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.GetProperty("id").GetInt64()}")).GetProperty("alert").GetProperty("state").GetString());
        await factory.DeliverAsync(tenant.Id);
        await tenant.Client.Ingest("temp", 3, _ => 90, start: t0.AddSeconds(90), step: TimeSpan.FromSeconds(10));
        await job.RunOnceAsync(t0.AddSeconds(115), CancellationToken.None);
        Assert.Equal("firing", (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.GetProperty("id").GetInt64()}")).GetProperty("alert").GetProperty("state").GetString());
        await factory.DeliverAsync(tenant.Id);
        Assert.Equal(["firing", "firing", "firing"], hook.Received.Select(r => r.Event));
        Assert.Contains("\"event\":\"no_data\"", hook.Received.ElementAt(1).Body);
    }

    [Fact]
    public async Task AForecastBreachStaysFiringWhileTheActualValuesBreachAfterTheForecastHorizonRunsOut()
    {
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", new
        {
            name = "capacity",
            kind = "forecast_breach",
            metricKey = "disk.used",
            condition = new { @operator = "above", threshold = 125, horizonSeconds = 600 },
        });
        var t0 = WholeMinute(DateTimeOffset.UtcNow.AddHours(-6));
        var seriesId = await tenant.Client.Ingest("disk.used", 240, i => 100 + (i * 0.15), start: t0);
        var job = factory.Service<AlertEvaluationJob>();
        var now = t0.AddMinutes(239).AddSeconds(30);
        await job.RunOnceAsync(now, CancellationToken.None);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        Assert.Equal("firing", alert.GetProperty("state").GetString());

        // startedAt is when the breach was first predicted, never the predicted crossing in the future.
        Assert.True(alert.GetProperty("startedAt").GetDateTimeOffset() <= now);

        // 30 minutes on, steady at 133 (above 125): every pass re-forecasts as needed and never resolves.
        for (var minute = 0; minute < 30; minute += 3)
        {
            var at = t0.AddMinutes(240 + minute);
            await tenant.Client.Ingest("disk.used", 3, _ => 133, start: at);
            await job.RunOnceAsync(at.AddMinutes(2).AddSeconds(30), CancellationToken.None);
            var state = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.GetProperty("id").GetInt64()}")).GetProperty("alert").GetProperty("state").GetString();
            Assert.Equal("firing", state);
        }

        var forecasts = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/forecasts?seriesId={seriesId}");
        Assert.True(forecasts.GetArrayLength() >= 2, "the forecast was refreshed before its horizon ran out");
    }

    [Fact]
    public async Task PoliciesRouteAlertsByLabelMatchersInOrderAndBadPoliciesAre400()
    {
        await using var pager = await WebhookReceiver.StartAsync();
        await using var tickets = await WebhookReceiver.StartAsync();
        var tenant = await factory.NewTenant("admin");
        var bad = await tenant.Client.PostAsJsonAsync("/api/notification-policies", new { name = "bad", matchers = new[] { new { name = "severity", op = "=~", value = "(" } }, channels = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = (await bad.Json()).GetProperty("errors");
        Assert.True(problem.TryGetProperty("matchers[0]", out _) && problem.TryGetProperty("channels", out _), problem.ToString());

        Assert.Equal(HttpStatusCode.Created, (await tenant.Client.PostAsJsonAsync("/api/notification-policies", new
        {
            name = "page",
            position = 1,
            matchers = new[] { new { name = "severity", op = "=", value = "page" } },
            channels = new[] { new { type = "webhook", url = pager.Url(), secret = Secret } },
        })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await tenant.Client.PostAsJsonAsync("/api/notification-policies", new
        {
            name = "everything else",
            position = 2,
            channels = new[] { new { type = "webhook", url = tickets.Url(), secret = Secret } },
        })).StatusCode);
        foreach (var (name, severity) in new[] { ("paging", "page"), ("ticketing", "ticket") })
        {
            await tenant.Client.PostAsJsonAsync("/api/alert-rules", new
            {
                name,
                kind = "missing_data",
                metricKey = $"route.{name}",
                condition = new { maxSilenceSeconds = 60 },
                labels = new { severity },
            });
            await tenant.Client.Ingest($"route.{name}", 1, _ => 1, start: DateTimeOffset.UtcNow.AddMinutes(-10));
        }

        await factory.Service<AlertEvaluationJob>().RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        await factory.DeliverAsync(tenant.Id);
        Assert.Contains("\"alertname\":\"paging\"", Assert.Single(pager.Received).Body);
        Assert.Contains("\"alertname\":\"ticketing\"", Assert.Single(tickets.Received).Body);
        Assert.Equal(2, (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/notification-policies")).GetArrayLength());
    }

    [Fact]
    public void WebhookSignaturesAreVerifiedInConstantTimeHelpers()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var signature = WebhookSignature.Sign(Secret, body);
        Assert.True(WebhookSignature.Verify(Secret, body, signature));
        Assert.False(WebhookSignature.Verify(Secret, body, signature[..^1] + "0"));
        Assert.False(WebhookSignature.Verify("other-secret-000000", body, signature));
    }
}

public sealed class AlertingTestsOnFile(ApiFactory factory) : AlertingTests<ApiFactory>(factory);

public sealed class AlertingTestsOnSqld(SqldApiFactory factory) : AlertingTests<SqldApiFactory>(factory);
