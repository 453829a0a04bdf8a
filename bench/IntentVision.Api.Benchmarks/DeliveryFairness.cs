// One tenant flooding slow webhooks against another tenant's alert delivery time (issue #14: no more than 2x).
// The API runs in process with its notification dispatcher; two Kestrel receivers on loopback play a fast endpoint
// and a slow one (1 s per request). Each round measures the victim's delivery time (from the end of the evaluation
// pass that fires its alert to the receiver) with the flooder idle, then while the flooder's 4 rules x 10 channels
// pour notifications into the slow endpoint; the ratio is the median of the per-round ratios of medians.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.Api.Alerting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntentVision.Api.Benchmarks;

internal static class DeliveryFairness
{
    private const string Secret = "fairness-webhook-secret-0000";

    public static async Task RunAsync(string databaseUrl, string adminKey, int rounds)
    {
        var fastCount = 0;
        var slowInFlight = 0;
        await using var fast = await ReceiverAsync(async () =>
        {
            Interlocked.Increment(ref fastCount);
            await Task.CompletedTask;
        });
        await using var slow = await ReceiverAsync(async () =>
        {
            Interlocked.Increment(ref slowInFlight);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Interlocked.Decrement(ref slowInFlight);
        });

        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:intentvision", databaseUrl);
            b.UseSetting("IntentVision:BootstrapAdminKey", adminKey);
            foreach (var job in new[] { "Detection", "Forecast", "Alerting", "Prometheus", "IdempotencyCleanup" })
            {
                b.UseSetting($"IntentVision:Jobs:{job}:Enabled", "false");
            }

            b.UseSetting("IntentVision:Jobs:Alerting:DispatcherEnabled", "true");
            b.UseSetting("IntentVision:Jobs:Alerting:DispatchPollInterval", "00:00:00.100");
            b.UseSetting("IntentVision:Egress:Allow:0", "127.0.0.0/8");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        using var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var victim = await TenantAsync(factory, admin, "fair-victim");
        var flooder = await TenantAsync(factory, admin, "fair-flooder");
        var job = factory.Services.GetRequiredService<AlertEvaluationJob>();
        var old = DateTimeOffset.UtcNow.AddMinutes(-10);
        await RuleAsync(victim, "victim", [fast.Url]);
        await IngestAsync(victim, "victim", old);
        for (var r = 0; r < 4; r++)
        {
            await RuleAsync(flooder, $"flood{r}", Enumerable.Range(0, 10).Select(c => $"{slow.Url}/{r}/{c}").ToArray());
            await IngestAsync(flooder, $"flood{r}", old);
        }

        await job.RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        async Task<double> MeasureAsync()
        {
            var before = Volatile.Read(ref fastCount);
            var open = await ResolveOpenAsync(victim);
            await WaitAsync(() => Volatile.Read(ref fastCount) >= before + open);
            await job.RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
            var clock = Stopwatch.StartNew();
            await WaitAsync(() => Volatile.Read(ref fastCount) >= before + open + 1);
            return clock.Elapsed.TotalMilliseconds;
        }

        var ratios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            // Quiet: the flood of the previous round drained.
            await WaitAsync(() => Volatile.Read(ref slowInFlight) == 0, TimeSpan.FromMinutes(3));
            await Task.Delay(1500);
            var quiet = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                quiet.Add(await MeasureAsync());
            }

            // Flood: the flooder's alerts resolve and fire again, 80 notifications for a receiver that takes 1 s each.
            await ResolveOpenAsync(flooder);
            await job.RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
            await WaitAsync(() => Volatile.Read(ref slowInFlight) >= 4);
            var flooded = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                flooded.Add(await MeasureAsync());
            }

            var (q, f) = (Median(quiet), Median(flooded));
            ratios.Add(f / q);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: victim delivery median {q:0.0} ms quiet, {f:0.0} ms during the flood (ratio {f / q:0.00}; slow requests in flight at the end: {Volatile.Read(ref slowInFlight)})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"delivery fairness: median ratio {Median(ratios):0.00} (goal <= 2.00)"));
    }

    private static async Task<HttpClient> TenantAsync(WebApplicationFactory<Program> factory, HttpClient admin, string id)
    {
        (await admin.PostAsJsonAsync("/api/organizations", new { id, name = id })).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonContent.Create(new { name = "bench", scopes = new[] { "admin" } }) };
        request.Headers.Add("X-IntentVision-Organization", id);
        var created = await (await admin.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("key").GetString());
        return client;
    }

    private static async Task RuleAsync(HttpClient tenant, string metric, string[] urls) =>
        (await tenant.PostAsJsonAsync("/api/alert-rules", new
        {
            name = metric,
            kind = "missing_data",
            metricKey = metric,
            condition = new { maxSilenceSeconds = 60 },
            channels = urls.Select(url => new { type = "webhook", url, secret = Secret }),
        })).EnsureSuccessStatusCode();

    private static async Task IngestAsync(HttpClient tenant, string metric, DateTimeOffset at) =>
        (await tenant.PostAsJsonAsync("/api/metrics", new { points = new[] { new { metric, timestamp = at, value = 1 } } })).EnsureSuccessStatusCode();

    private static async Task<int> ResolveOpenAsync(HttpClient tenant)
    {
        var open = await tenant.GetFromJsonAsync<JsonElement>("/api/alerts?state=firing");
        foreach (var alert in open.EnumerateArray())
        {
            (await tenant.PostAsync($"/api/alerts/{alert.GetProperty("id").GetInt64()}/resolve", null)).EnsureSuccessStatusCode();
        }

        return open.GetArrayLength();
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("a delivery did not arrive in time");
            }

            await Task.Delay(2);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<Receiver> ReceiverAsync(Func<Task> onRequest)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            await onRequest();
            return Results.Ok();
        });
        await app.StartAsync();
        return new Receiver(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/'));
    }

    private sealed record Receiver(WebApplication App, string Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
