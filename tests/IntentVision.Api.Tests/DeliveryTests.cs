using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.Api.Alerting;
using IntentVision.Api.Notifications;

namespace IntentVision.Api.Tests;

/// <summary>The API with an SMTP server configured for email channels.</summary>
public sealed class EmailApiFactory : ApiFactory
{
    public int SmtpPort { get; } = Delivery.FreePort();

    protected override IEnumerable<(string Key, string Value)> Settings =>
    [
        ("IntentVision:Email:Host", "127.0.0.1"),
        ("IntentVision:Email:Port", SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("IntentVision:Email:Security", "none"),
        ("IntentVision:Email:From", "IntentVision <alerts@intentvision.test>"),
        ("IntentVision:Jobs:Alerting:AttemptTimeout", "00:00:03"),
    ];
}

/// <summary>Deliveries to real local receivers: Slack-format, SMTP, a hanging receiver beside a healthy one.</summary>
public sealed class DeliveryTests(EmailApiFactory factory) : IClassFixture<EmailApiFactory>
{
    private const string Secret = "webhook-secret-0123456789";

    private static object Heartbeat(string name, string metric, params object[] channels) => new
    {
        name,
        kind = "missing_data",
        metricKey = metric,
        condition = new { maxSilenceSeconds = 60 },
        labels = new { severity = "critical" },
        channels,
    };

    [Fact]
    public async Task SlackAndEmailChannelsDeliverTheirTemplatedMessagesToRealLocalReceivers()
    {
        await using var slack = await WebhookReceiver.StartAsync();
        await using var smtp = SmtpReceiver.Start(factory.SmtpPort);
        var measured = new System.Collections.Concurrent.ConcurrentBag<(string Instrument, double Value, object? ChannelType)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NotificationMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measured.Add((instrument.Name, value, tags.ToArray().FirstOrDefault(t => t.Key == "channel.type").Value)));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measured.Add((instrument.Name, value, tags.ToArray().FirstOrDefault(t => t.Key == "channel.type").Value)));
        listener.Start();
        var tenant = await factory.NewTenant("admin");
        var created = await tenant.Client.PostAsJsonAsync("/api/alert-rules", Heartbeat(
            "beat", "delivery.beat",
            new { type = "slack", url = slack.Url("/services/T000/B000/XXXX"), text = "{{#alerts}}{{labels.severity}}: {{message}}{{/alerts}}" },
            new { type = "email", to = new[] { "oncall@example.test", "lead@example.test" } }));
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain("XXXX", (await created.Json()).ToString());
        await tenant.Client.Ingest("delivery.beat", 1, _ => 1, start: DateTimeOffset.UtcNow.AddMinutes(-10));
        await factory.Service<AlertEvaluationJob>().RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        await factory.DeliverAsync(tenant.Id);

        var posted = JsonDocument.Parse(Assert.Single(slack.Received).Body).RootElement;
        var text = posted.GetProperty("text").GetString()!;
        Assert.StartsWith("*[FIRING:1] beat", text);
        Assert.Contains("critical: beat: delivery.beat no data since", text);

        Assert.True(await Delivery.EventuallyAsync(() => !smtp.Messages.IsEmpty, TimeSpan.FromSeconds(5)));
        var mail = Assert.Single(smtp.Messages);
        Assert.StartsWith("[FIRING:1] beat", mail.Subject);
        Assert.Equal(["oncall@example.test", "lead@example.test"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("/alerts/", mail.TextBody);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        var notifications = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.GetProperty("id").GetInt64()}")).GetProperty("notifications");
        Assert.All(notifications.EnumerateArray(), n => Assert.Equal("delivered", n.GetProperty("status").GetString()));
        Assert.Contains(notifications.EnumerateArray(), n => n.GetProperty("channel").GetString() == "oncall@example.test, lead@example.test");

        // The meters saw it: queued and delivered per channel type, and the latency of each delivery.
        Assert.Contains(measured, m => m is { Instrument: "intentvision.notifications.queued", ChannelType: "email" });
        Assert.Contains(measured, m => m is { Instrument: "intentvision.notifications.delivered", ChannelType: "slack" });
        Assert.Contains(measured, m => m.Instrument == "intentvision.notifications.latency" && m.Value >= 0);
    }

    [Fact]
    public async Task AHangingReceiverOnOneRuleDoesNotHoldBackAnotherRulesNotification()
    {
        var release = new TaskCompletionSource();
        await using var hanging = await WebhookReceiver.StartAsync();
        hanging.Answer = async (_, aborted) =>
        {
            await release.Task.WaitAsync(aborted);
            return 200;
        };
        await using var healthy = await WebhookReceiver.StartAsync();
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", Heartbeat("stuck", "hang.stuck", new { type = "webhook", url = hanging.Url(), secret = Secret }));
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", Heartbeat("fine", "hang.fine", new { type = "webhook", url = healthy.Url(), secret = Secret }));
        await tenant.Client.Ingest("hang.stuck", 1, _ => 1, start: DateTimeOffset.UtcNow.AddMinutes(-10));
        await tenant.Client.Ingest("hang.fine", 1, _ => 1, start: DateTimeOffset.UtcNow.AddMinutes(-10));
        await factory.Service<AlertEvaluationJob>().RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        var started = Stopwatch.StartNew();
        var pass = factory.Service<NotificationDispatcher>().RunOnceAsync(CancellationToken.None);
        Assert.True(await Delivery.EventuallyAsync(() => !healthy.Received.IsEmpty, TimeSpan.FromSeconds(10)), "the healthy receiver got its notification");
        var latency = started.Elapsed;

        // The healthy channel was served while the other one hangs on its first attempt (released only below).
        Assert.True(await Delivery.EventuallyAsync(() => hanging.Arrivals == 1, TimeSpan.FromSeconds(10)));
        Assert.Empty(hanging.Received);
        Console.WriteLine($"healthy channel delivered {latency.TotalMilliseconds:0} ms after the pass began, beside a hanging receiver");
        release.SetResult();
        await pass;
    }
}
