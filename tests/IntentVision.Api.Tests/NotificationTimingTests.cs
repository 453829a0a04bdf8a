using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.Api.Alerting;
using IntentVision.Api.Notifications;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntentVision.Api.Tests;

/// <summary>The API with every clock on one <see cref="FakeTimeProvider"/>: group waits, intervals, repeats and silences move only when the test says.</summary>
public sealed class FakeClockApiFactory : ApiFactory
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddHours(-12));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class NotificationTimingTests(FakeClockApiFactory factory) : IClassFixture<FakeClockApiFactory>
{
    private const string Secret = "webhook-secret-0123456789";

    private FakeTimeProvider Clock => factory.Clock;

    private Task EvaluateAsync() => factory.Service<AlertEvaluationJob>().RunOnceAsync(Clock.GetUtcNow(), CancellationToken.None);

    private Task DispatchAsync() => factory.Service<NotificationDispatcher>().RunOnceAsync(CancellationToken.None);

    private static object Threshold(string name, string metric, string url, object? notification = null, double keepFiringFor = 0, double duration = 60) => new
    {
        name,
        kind = "threshold",
        metricKey = metric,
        condition = new { @operator = "above", threshold = 100, durationSeconds = duration, keepFiringForSeconds = keepFiringFor },
        channels = new[] { new { type = "webhook", url, secret = Secret } },
        notification,
    };

    private async Task Breach(Tenant tenant, string metric, object dimensions, double value = 500) =>
        await tenant.Client.Ingest(metric, 3, _ => value, dimensions, Clock.GetUtcNow().AddMinutes(-2));

    [Fact]
    public async Task ThreeBreachingSeriesGroupedByServiceMakeOneNotificationPerGroupInterval()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", Threshold("latency", "grouped.latency", hook.Url(), new { groupBy = new[] { "service" }, groupWaitSeconds = 30, groupIntervalSeconds = 300 }));
        foreach (var host in new[] { "a", "b", "c" })
        {
            await Breach(tenant, "grouped.latency", new { service = "api", host });
        }

        await Breach(tenant, "grouped.latency", new { service = "db", host = "d" });
        await EvaluateAsync();
        Assert.Equal(4, (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts?state=firing")).GetArrayLength());
        await DispatchAsync();
        Assert.Empty(hook.Received);

        // After the group wait: one message per group, the api group with its three alerts.
        Clock.Advance(TimeSpan.FromSeconds(30));
        await DispatchAsync();
        Assert.Equal(2, hook.Received.Count);
        var api = hook.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).Single(p => p.GetProperty("groupLabels").GetProperty("service").GetString() == "api");
        Assert.Equal(3, api.GetProperty("alerts").GetArrayLength());
        Assert.StartsWith("[FIRING:3] latency (service=api)", api.GetProperty("title").GetString());

        // A fourth api host joins: it waits for the group interval, then goes out in one message.
        Clock.Advance(TimeSpan.FromSeconds(30));
        await Breach(tenant, "grouped.latency", new { service = "api", host = "e" });
        await EvaluateAsync();
        await DispatchAsync();
        Assert.Equal(2, hook.Received.Count);
        Clock.Advance(TimeSpan.FromSeconds(269));
        await DispatchAsync();
        Assert.Equal(2, hook.Received.Count);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await DispatchAsync();
        Assert.Equal(3, hook.Received.Count);
        Assert.Single(JsonDocument.Parse(hook.Received.Last().Body).RootElement.GetProperty("alerts").EnumerateArray());
    }

    [Fact]
    public async Task AnActiveSilenceSendsNothingAndTheAlertShowsAsSilencedUntilItIsExpired()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", Threshold("muted", "muted.latency", hook.Url()));
        var silence = await (await tenant.Client.PostAsJsonAsync("/api/silences", new
        {
            matchers = new[] { new { name = "service", op = "=~", value = "ap.*" } },
            endsAt = Clock.GetUtcNow().AddHours(1),
            comment = "deploying the api",
            createdBy = "alice",
        })).Json();
        Assert.Equal("active", silence.GetProperty("state").GetString());
        await Breach(tenant, "muted.latency", new { service = "api" });
        await EvaluateAsync();
        await DispatchAsync();
        Assert.Equal(0, hook.Arrivals);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        Assert.Equal(silence.GetProperty("id").GetInt64(), alert.GetProperty("silencedBy").GetInt64());
        var details = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.GetProperty("id").GetInt64()}");
        Assert.Equal("silenced", Assert.Single(details.GetProperty("notifications").EnumerateArray()).GetProperty("status").GetString());

        // Expired: the alert is no longer silenced and the receivers hear of it.
        var expired = await (await tenant.Client.PostAsync($"/api/silences/{silence.GetProperty("id").GetInt64()}/expire", null)).Json();
        Assert.Equal("expired", expired.GetProperty("state").GetString());
        Clock.Advance(TimeSpan.FromSeconds(10));
        await Breach(tenant, "muted.latency", new { service = "api" });
        await EvaluateAsync();
        await DispatchAsync();
        Assert.Equal(1, hook.Arrivals);
        Assert.Equal(JsonValueKind.Null, (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray().Single().GetProperty("silencedBy").ValueKind);
        Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/silences?state=expired")).EnumerateArray());
    }

    [Fact]
    public async Task AnOpenAlertIsNotifiedAgainEachRepeatIntervalUntilAcknowledged()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", new
        {
            name = "heartbeat",
            kind = "missing_data",
            metricKey = "repeat.heartbeat",
            condition = new { maxSilenceSeconds = 60 },
            channels = new[] { new { type = "webhook", url = hook.Url(), secret = Secret } },
            notification = new { repeatIntervalSeconds = 600 },
        });
        await tenant.Client.Ingest("repeat.heartbeat", 1, _ => 1, start: Clock.GetUtcNow().AddMinutes(-5));
        await EvaluateAsync();
        await DispatchAsync();
        Assert.Equal(1, hook.Arrivals);

        Clock.Advance(TimeSpan.FromSeconds(599));
        await EvaluateAsync();
        await DispatchAsync();
        Assert.Equal(1, hook.Arrivals);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await DispatchAsync();
        Assert.Equal(2, hook.Arrivals);
        Clock.Advance(TimeSpan.FromSeconds(600));
        await DispatchAsync();
        Assert.Equal(3, hook.Arrivals);

        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        await tenant.Client.PostAsync($"/api/alerts/{alert.GetProperty("id").GetInt64()}/acknowledge", null);
        Clock.Advance(TimeSpan.FromSeconds(1200));
        await EvaluateAsync();
        await DispatchAsync();
        Assert.Equal(3, hook.Arrivals);
    }

    [Fact]
    public async Task AFlappingSeriesKeepsOneAlertOpenUntilItStaysClearForKeepFiringFor()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        var tenant = await factory.NewTenant("admin");
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", Threshold("flappy", "flappy.latency", hook.Url(), keepFiringFor: 180, duration: 0));
        await tenant.Client.Ingest("flappy.latency", 3, _ => 500, start: Clock.GetUtcNow().AddMinutes(-2));
        await EvaluateAsync();

        // Clear, breaching, clear, breaching, each for a minute: the alert stays one and open.
        for (var i = 0; i < 4; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            await tenant.Client.Ingest("flappy.latency", 2, _ => i % 2 == 0 ? 5 : 500, start: Clock.GetUtcNow().AddSeconds(-30), step: TimeSpan.FromSeconds(30));
            await EvaluateAsync();
            await DispatchAsync();
        }

        var alerts = (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray().ToList();
        Assert.Single(alerts);
        Assert.Equal("firing", alerts[0].GetProperty("state").GetString());
        Assert.Equal(1, hook.Arrivals);

        // Clear for three minutes: resolved, once.
        for (var i = 0; i < 4; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            await tenant.Client.Ingest("flappy.latency", 2, _ => 5, start: Clock.GetUtcNow().AddSeconds(-30), step: TimeSpan.FromSeconds(30));
            await EvaluateAsync();
            await DispatchAsync();
        }

        Assert.Equal("resolved", (await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray().Single().GetProperty("state").GetString());
        Assert.Equal(2, hook.Arrivals);
    }
}
