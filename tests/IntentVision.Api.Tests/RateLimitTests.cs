using System.Net;
using System.Net.Http.Json;
using IntentVision.Api.Auth;
using IntentVision.Data.ApiKeys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntentVision.Api.Tests;

/// <summary>
/// Request rates and ingest quotas per key and per organization (ASP.NET Core's rate limiter and token buckets), as
/// 429 problems with Retry-After, and the negative cache of invalid keys.
/// </summary>
public sealed class RateLimitTests(LimitedApiFactory factory) : IClassFixture<LimitedApiFactory>
{
    [Fact]
    public async Task OneOrganizationFloodingIngestIsThrottledWhileAnotherStillIngests()
    {
        var flooder = await factory.NewTenant("ingest:write", "metrics:read");
        var quiet = await factory.NewTenant("ingest:write", "metrics:read");

        // 30 batches of 100 points at once: far beyond the 800 points a key may send in a minute.
        var flood = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            flooder.Client.PostAsJsonAsync("/api/metrics", TestData.Points($"flood.{i}", 100, p => p))));
        var accepted = flood.Count(r => r.StatusCode == HttpStatusCode.OK);
        var refused = flood.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(30, accepted + refused.Count);
        Assert.InRange(accepted, 1, 9);
        foreach (var response in refused)
        {
            await HostileInputTests<ApiFactory>.AssertProblem(response, HttpStatusCode.TooManyRequests);
            Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single()) >= 1);
        }

        // A refused batch wrote nothing: exactly the accepted batches are stored.
        Assert.Equal(accepted * 100, await TestData.Count(factory.DataSource, "metrics", flooder.Id));

        // The other organization's budget is its own.
        var other = await quiet.Client.PostAsJsonAsync("/api/metrics", TestData.Points("calm", 100, p => p));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await quiet.Client.GetAsync("/api/series")).StatusCode);
    }

    [Fact]
    public async Task TheOrganizationQuotaCoversAllItsKeys()
    {
        var tenant = await factory.NewTenant("ingest:write");
        using var second = factory.Client(await factory.NewKey(tenant.Id, ["ingest:write"]));

        // 700 points through the first key, then the second key may add only what is left of the organization's 1000.
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostAsJsonAsync("/api/metrics", TestData.Points($"first.{i}", 100, p => p))).StatusCode);
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await second.PostAsJsonAsync("/api/metrics", TestData.Points($"second.{i}", 100, p => p))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 3, 4);
    }

    [Fact]
    public async Task WebhookPushesSpendTheirOrganizationsQuota()
    {
        var tenant = await factory.NewTenant("admin");
        var created = await (await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "pushes", type = "webhook" })).Json();
        var (secret, path) = (created.GetProperty("secret").GetString()!, created.GetProperty("source").GetProperty("pushPath").GetString()!);
        using var anonymous = factory.Client(null);
        async Task<HttpResponseMessage> Push(int points)
        {
            var body = System.Text.Json.JsonSerializer.Serialize(TestData.Points($"pushed.{points}", points, i => i, step: TimeSpan.FromSeconds(1)));
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            request.Headers.Add(IntentVision.Api.Alerting.WebhookSignature.TimestampHeader, now.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(IntentVision.Api.Alerting.WebhookSignature.SignatureHeader, IntentVision.Api.Alerting.WebhookSignature.SignTimestamped(secret, now, body));
            return await anonymous.SendAsync(request);
        }

        // 700 of the organization's 1000 through its key leave 300 for its sources.
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostAsJsonAsync("/api/metrics", TestData.Points($"keyed.{i}", 100, p => p))).StatusCode);
        }

        await HostileInputTests<ApiFactory>.AssertProblem(await Push(400), HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await Push(200)).StatusCode);
        Assert.Equal(900, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task ABatchLargerThanTheQuotaIsRefusedSayingSo()
    {
        var tenant = await factory.NewTenant("ingest:write");
        var response = await tenant.Client.PostAsJsonAsync("/api/metrics", TestData.Points("big", LimitedApiFactory.PointsPerMinutePerKey + 1, p => p, step: TimeSpan.FromSeconds(1)));
        await HostileInputTests<ApiFactory>.AssertProblem(response, HttpStatusCode.TooManyRequests);
        Assert.Contains($"at most {LimitedApiFactory.PointsPerMinutePerKey} points per minute", (await response.Json()).GetProperty("detail").GetString());
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task AKeyFloodingRequestsIsThrottledWhileAnotherOrganizationIsServed()
    {
        var flooder = await factory.NewTenant("metrics:read");
        var other = await factory.NewTenant("metrics:read");

        // 100 at once against a bucket of 20 that refills 20 a second.
        var flood = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => flooder.Client.GetAsync("/api/series")));
        var refused = flood.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(flood, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        await HostileInputTests<ApiFactory>.AssertProblem(refused[0], HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(refused[0].Headers.GetValues("Retry-After").Single()) >= 1);

        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync("/api/series")).StatusCode);
    }

    [Fact]
    public async Task TheOrganizationRequestRateCoversAllItsKeys()
    {
        var tenant = await factory.NewTenant("metrics:read");
        var keys = new List<HttpClient>();
        for (var i = 0; i < 10; i++)
        {
            keys.Add(factory.Client(await factory.NewKey(tenant.Id, ["metrics:read"])));
        }

        // Each key stays under its own 20 a second; together they send 190 against the organization's 30.
        var burst = await Task.WhenAll(keys.SelectMany(k => Enumerable.Range(0, LimitedApiFactory.RequestsPerSecondPerKey - 1).Select(_ => k.GetAsync("/api/series"))));
        Assert.Contains(burst, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        keys.ForEach(k => k.Dispose());
    }

    [Fact]
    public async Task AnInvalidKeyIsAnsweredFromMemoryUntilItsCacheEntryExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(time)));
        var tenant = await factory.NewTenant("metrics:read");
        var key = ApiKeyFormat.NewKey();
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/series")).StatusCode);

        // The key now exists in the database; while the invalid answer is remembered, nothing reads it.
        await host.Services.GetRequiredService<ApiKeyRepository>().CreateAsync(ApiKeyFormat.NewKeyId(), tenant.Id, "late", ApiKeyFormat.Display(key), ApiKeyFormat.Hash(key), ["metrics:read"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/series")).StatusCode);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/series")).StatusCode);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/series")).StatusCode);

        // Something not shaped like a key is never looked up at all.
        const string Malformed = "not-an-ivk-key-but-long-enough";
        await host.Services.GetRequiredService<ApiKeyRepository>().CreateAsync(ApiKeyFormat.NewKeyId(), tenant.Id, "odd", "not-an-ivk-k", ApiKeyFormat.Hash(Malformed), ["metrics:read"]);
        using var odd = host.CreateClient();
        odd.DefaultRequestHeaders.Add("X-Api-Key", Malformed);
        Assert.Equal(HttpStatusCode.Unauthorized, (await odd.GetAsync("/api/series")).StatusCode);
    }
}
