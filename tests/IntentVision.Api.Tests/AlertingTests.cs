using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntentVision.Api.Alerting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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
    };

    [Fact]
    public async Task Rules_are_created_read_replaced_and_deleted_and_never_show_secrets()
    {
        var tenant = await factory.NewTenant("alerts:write", "metrics:read");
        var created = await tenant.Client.PostAsJsonAsync("/api/alert-rules", ThresholdRule("crud", "http://127.0.0.1:9/hook"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.Json();
        Assert.DoesNotContain(Secret, rule.ToString());
        Assert.True(rule.GetProperty("channels")[0].GetProperty("hasSecret").GetBoolean());
        var id = rule.GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.PostAsJsonAsync("/api/alert-rules", ThresholdRule("crud", "http://127.0.0.1:9/hook"))).StatusCode);
        var replaced = await tenant.Client.PutAsJsonAsync($"/api/alert-rules/{id}", ThresholdRule("crud-renamed", "http://127.0.0.1:9/hook"));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("crud-renamed", (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alert-rules/{id}")).GetProperty("name").GetString());
        Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alert-rules")).EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/alert-rules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync($"/api/alert-rules/{id}")).StatusCode);
    }

    public static TheoryData<string, string> BadRules => new()
    {
        { """{"kind":"threshold","metricKey":"cpu","condition":{"operator":"above","threshold":1}}""", "name" },
        { """{"name":"r","kind":"sometimes","metricKey":"cpu","condition":{}}""", "kind" },
        { """{"name":"r","kind":"threshold","metricKey":"cpu; DROP TABLE alert_rules","condition":{"operator":"above","threshold":1}}""", "metricKey" },
        { """{"name":"r","kind":"threshold","metricKey":"cpu","condition":{"operator":"sideways","threshold":1}}""", "condition.operator" },
        { """{"name":"r","kind":"threshold","metricKey":"cpu","condition":{"operator":"above"}}""", "condition.threshold" },
        { """{"name":"r","kind":"threshold","metricKey":"cpu","condition":{"operator":"above","threshold":1,"durationSeconds":-5}}""", "condition.durationSeconds" },
        { """{"name":"r","kind":"anomaly","metricKey":"cpu","condition":{"minimumSeverity":"dire","lookbackSeconds":60}}""", "condition.minimumSeverity" },
        { """{"name":"r","kind":"forecast_breach","metricKey":"cpu","condition":{"operator":"above","threshold":1}}""", "condition.horizonSeconds" },
        { """{"name":"r","kind":"rate_of_change","metricKey":"cpu","condition":{"unitSeconds":60,"lookbackSeconds":600}}""", "condition.maxChangePerUnit" },
        { """{"name":"r","kind":"missing_data","metricKey":"cpu","condition":{}}""", "condition.maxSilenceSeconds" },
        { """{"name":"r","kind":"missing_data","metricKey":"cpu","condition":{"maxSilenceSeconds":60},"channels":[{"type":"email","url":"ftp://x","secret":"short"}]}""", "channels[0].url" },
        { """{"name":"r","kind":"missing_data","metricKey":"cpu","condition":{"maxSilenceSeconds":60},"channels":[{"type":"webhook","url":"http://example.org","secret":"short"}]}""", "channels[0].secret" },
        { """{"name":"r","kind":"missing_data","metricKey":"cpu","condition":{"maxSilenceSeconds":60},"suppression":[{"dailyStart":"25:00","dailyEnd":"06:00"}]}""", "suppression[0]" },
        { """{"name":"r","kind":"missing_data","metricKey":"cpu","condition":{"maxSilenceSeconds":60},"dimensionFilter":{"bad key":"x"}}""", "dimensionFilter.bad key" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task Bad_rules_are_400_naming_the_field_and_write_nothing(string body, string field)
    {
        var tenant = await factory.NewTenant("alerts:write");
        var response = await tenant.Client.PostAsync("/api/alert-rules", TestData.JsonBody(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Json();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await TestData.Count(factory.DataSource, "alert_rules", tenant.Id));
    }

    [Fact]
    public async Task An_alert_goes_pending_firing_acknowledged_resolved_and_the_webhook_gets_signed_posts()
    {
        var received = new ConcurrentQueue<(string Event, string Body, string Timestamp, string Signature)>();
        var failuresLeft = 1;
        await using var hook = await LoopbackServer.StartAsync(_ => { }, app => app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();

            // The first delivery fails once, so the retry is exercised on a real socket.
            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                return Results.StatusCode(503);
            }

            received.Enqueue((request.Headers["X-IntentVision-Event"].ToString(), body, request.Headers["X-IntentVision-Timestamp"].ToString(), request.Headers["X-IntentVision-Signature"].ToString()));
            return Results.Ok();
        }));

        var tenant = await factory.NewTenant("admin");
        var rule = await (await tenant.Client.PostAsJsonAsync("/api/alert-rules", ThresholdRule("depth", hook.BaseUrl + "/hook"))).Json();
        var ruleId = rule.GetProperty("id").GetInt64();
        var job = factory.Service<AlertEvaluationJob>();

        var t0 = DateTimeOffset.UtcNow.AddMinutes(-30);
        t0 = new DateTimeOffset(t0.Year, t0.Month, t0.Day, t0.Hour, t0.Minute, 0, TimeSpan.Zero);
        await tenant.Client.Ingest("queue.depth", 10, _ => 10, new { queue = "orders" }, t0);
        await tenant.Client.Ingest("queue.depth", 10, _ => 500, new { queue = "other" }, t0);
        await job.RunOnceAsync(t0.AddMinutes(10), CancellationToken.None);
        Assert.Empty((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());

        // Above the threshold for 3 minutes (longer than the 2-minute duration): pending first.
        await tenant.Client.Ingest("queue.depth", 4, _ => 250, new { queue = "orders" }, t0.AddMinutes(10));
        await job.RunOnceAsync(t0.AddMinutes(13), CancellationToken.None);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        Assert.Equal("pending", alert.GetProperty("state").GetString());
        Assert.Equal(ruleId, alert.GetProperty("ruleId").GetInt64());
        Assert.Empty(received);

        // Still breaching after the pending period: firing, one notification (after one failed attempt).
        await tenant.Client.Ingest("queue.depth", 2, _ => 260, new { queue = "orders" }, t0.AddMinutes(14));
        await job.RunOnceAsync(t0.AddMinutes(15), CancellationToken.None);
        await job.RunOnceAsync(t0.AddMinutes(15.5), CancellationToken.None);
        var alertId = alert.GetProperty("id").GetInt64();
        var details = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alertId}");
        Assert.Equal("firing", details.GetProperty("alert").GetProperty("state").GetString());
        var delivery = Assert.Single(details.GetProperty("deliveries").EnumerateArray());
        Assert.True(delivery.GetProperty("succeeded").GetBoolean());
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("statusCode").GetInt32());

        var (firingEvent, firingBody, timestamp, signature) = Assert.Single(received);
        Assert.Equal("firing", firingEvent);
        Assert.Equal(WebhookSignature.SignTimestamped(Secret, long.Parse(timestamp), firingBody), signature);
        Assert.Equal(alertId, JsonDocument.Parse(firingBody).RootElement.GetProperty("alert").GetProperty("id").GetInt64());

        // Acknowledged: still open, deduplicated (no second alert, no second notification).
        var ack = await tenant.Client.PostAsync($"/api/alerts/{alertId}/acknowledge", null);
        Assert.Equal("acknowledged", (await ack.Json()).GetProperty("state").GetString());
        await job.RunOnceAsync(t0.AddMinutes(15.7), CancellationToken.None);
        Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        Assert.Single(received);

        // Back under the threshold: resolved, and the resolution is delivered too.
        await tenant.Client.Ingest("queue.depth", 1, _ => 5, new { queue = "orders" }, t0.AddMinutes(16));
        await job.RunOnceAsync(t0.AddMinutes(16.5), CancellationToken.None);
        var resolved = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alertId}");
        Assert.Equal("resolved", resolved.GetProperty("alert").GetProperty("state").GetString());
        Assert.Equal(2, resolved.GetProperty("deliveries").GetArrayLength());
        Assert.Equal(["firing", "resolved"], received.Select(r => r.Event));
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.PostAsync($"/api/alerts/{alertId}/acknowledge", null)).StatusCode);
    }

    [Fact]
    public async Task A_failing_webhook_is_retried_and_the_failure_recorded()
    {
        var attempts = 0;
        await using var hook = await LoopbackServer.StartAsync(_ => { }, app => app.MapPost("/hook", () =>
        {
            Interlocked.Increment(ref attempts);
            return Results.StatusCode(500);
        }));
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", new
        {
            name = "silence",
            kind = "missing_data",
            metricKey = "heartbeat",
            condition = new { maxSilenceSeconds = 60 },
            channels = new[] { new { type = "webhook", url = hook.BaseUrl + "/hook", secret = Secret } },
        });
        var last = DateTimeOffset.UtcNow.AddMinutes(-10);
        await tenant.Client.Ingest("heartbeat", 1, _ => 1, start: last);
        await factory.Service<AlertEvaluationJob>().RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts?state=firing")).EnumerateArray());
        var delivery = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.GetProperty("id").GetInt64()}")).GetProperty("deliveries").EnumerateArray());
        Assert.False(delivery.GetProperty("succeeded").GetBoolean());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(3, attempts);
        Assert.Equal(500, delivery.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task An_open_alert_is_resolved_by_hand_and_the_next_breach_opens_a_new_one()
    {
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", new
        {
            name = "manual",
            kind = "missing_data",
            metricKey = "manual.heartbeat",
            condition = new { maxSilenceSeconds = 60 },
        });
        var now = DateTimeOffset.UtcNow;
        await tenant.Client.Ingest("manual.heartbeat", 1, _ => 1, start: now.AddMinutes(-10));
        var job = factory.Service<AlertEvaluationJob>();
        await job.RunOnceAsync(now, CancellationToken.None);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts?state=firing")).EnumerateArray());
        var alertId = alert.GetProperty("id").GetInt64();

        var resolved = await tenant.Client.PostAsync($"/api/alerts/{alertId}/resolve", null);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var body = await resolved.Json();
        Assert.Equal("resolved", body.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("resolvedAt").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostAsync($"/api/alerts/{alertId}/resolve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.PostAsync($"/api/alerts/{alertId}/acknowledge", null)).StatusCode);

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
    public async Task A_suppression_window_keeps_alerts_from_opening()
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
    public async Task Webhook_signatures_are_verified_in_constant_time_helpers()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var signature = WebhookSignature.Sign(Secret, body);
        Assert.True(WebhookSignature.Verify(Secret, body, signature));
        Assert.False(WebhookSignature.Verify(Secret, body, signature[..^1] + "0"));
        Assert.False(WebhookSignature.Verify("other-secret-000000", body, signature));
        await Task.CompletedTask;
    }
}

public sealed class AlertingTestsOnFile(ApiFactory factory) : AlertingTests<ApiFactory>(factory);

public sealed class AlertingTestsOnSqld(SqldApiFactory factory) : AlertingTests<SqldApiFactory>(factory);
