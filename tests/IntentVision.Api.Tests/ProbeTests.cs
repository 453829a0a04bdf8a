using Xunit.Abstractions;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.Api.Alerting;
using IntentVision.Api.Tests.Probe;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IntentVision.Api.Tests;

/// <summary>
/// The probe of issue #14 as a test: hundreds of hostile and odd requests generated from the OpenAPI document over
/// the whole route table, in both route forms, by an organization key and the platform admin. None may answer 5xx,
/// show .NET exception text, or answer an error that is not problem details.
/// </summary>
public abstract class ProbeTests<TFactory>(TFactory factory, ITestOutputHelper output) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    /// <summary>Every n-th generated request is sent (1 on the file; the server backend takes a sample).</summary>
    protected abstract int Sampling { get; }

    [Fact]
    public async Task HostileRequestsOverTheWholeRouteTableGetNo500NoExceptionTextAndOnlyProblemDetails()
    {
        // The limits stay out of the way so that every request reaches the code it probes.
        await using var api = factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("IntentVision:Limits:RequestsPerSecondPerKey", "0");
            b.UseSetting("IntentVision:Limits:RequestsPerSecondPerOrganization", "0");
            b.UseSetting("IntentVision:Limits:IngestPointsPerMinutePerKey", "0");
            b.UseSetting("IntentVision:Limits:IngestPointsPerMinutePerOrganization", "0");
        });
        var targets = await ArrangeAsync(api);
        using var tenant = api.CreateClient();
        tenant.DefaultRequestHeaders.Authorization = new("Bearer", targets.Key);
        using var platform = api.CreateClient();
        platform.DefaultRequestHeaders.Authorization = new("Bearer", ApiFactory.AdminKey);

        using var anonymous = api.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var probes = new ProbeGenerator(document, targets.Probe).Generate().Where((_, i) => i % Sampling == 0).ToList();
        Assert.InRange(probes.Count, 300, 5000);

        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        foreach (var probe in probes)
        {
            using var request = probe.ToMessage();
            using var response = await (probe.AsPlatformAdmin ? platform : tenant).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;

            // An open event stream never ends: its status and content type are the answer.
            var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? string.Empty : await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                failures.Add($"{status} for {probe}: {Shorten(body)}");
            }
            else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"} for {probe}");
            }
            else if (new[] { "System.", "Microsoft.", "IntentVision.", "Exception", "   at ", "Nullable`1" }.FirstOrDefault(m => body.Contains(m, StringComparison.Ordinal)) is { } leaked)
            {
                failures.Add($"'{leaked}' in the {status} for {probe}: {Shorten(body)}");
            }
        }

        output.WriteLine($"{probes.Count} probes: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(failures.Count == 0, $"{failures.Count} of {probes.Count} probes failed:\n{string.Join("\n", failures.Take(40))}");

        // The probe reached past validation too, not only into 400s.
        Assert.True(statuses.GetValueOrDefault(200) + statuses.GetValueOrDefault(201) > probes.Count / 20, string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        if (Sampling == 1)
        {
            Assert.Contains(422, statuses.Keys);
        }
    }

    /// <summary>An organization with a series of ordinary values, one of values near ±1.8e308, and one of everything else.</summary>
    private static async Task<(string Key, ProbeTargets Probe)> ArrangeAsync(WebApplicationFactory<Program> api)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (organization, other) = ("probe-" + suffix, "probe-other-" + suffix);
        using var platform = api.CreateClient();
        platform.DefaultRequestHeaders.Authorization = new("Bearer", ApiFactory.AdminKey);
        (await platform.PostAsJsonAsync("/api/organizations", new { id = organization, name = "Probe" })).EnsureSuccessStatusCode();
        (await platform.PostAsJsonAsync("/api/organizations", new { id = other, name = "Other" })).EnsureSuccessStatusCode();
        var key = (await Created(platform, $"/api/organizations/{organization}/keys", new { name = "probe", scopes = new[] { "admin" } })).GetProperty("key").GetString()!;
        var sacrificialKey = (await Created(platform, $"/api/organizations/{organization}/keys", new { name = "to revoke", scopes = new[] { "metrics:read" } })).GetProperty("id").GetString()!;

        using var tenant = api.CreateClient();
        tenant.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var start = TestData.T0.AddDays(-1);
        var seriesId = await tenant.Ingest("probe.cpu", 300, i => i == 250 ? 500 : 10 + (i % 5), new { host = "a" }, start);
        var hugeSeriesId = await tenant.Ingest("probe.huge", 300, i => i % 3 == 2 ? -1.7e308 : 1.7e308, new { host = "a" }, start);
        var anomalies = await tenant.GetFromJsonAsync<JsonElement>("/api/anomalies");
        var forecastId = (await Created(tenant, "/api/forecasts", new { seriesId, horizon = 12 })).GetProperty("id").GetInt64();
        var ruleId = (await Created(tenant, "/api/alert-rules", new { name = "silence", kind = "missing_data", metricKey = "probe.cpu", condition = new { maxSilenceSeconds = 60 } })).GetProperty("id").GetInt64();
        await api.Services.GetRequiredService<AlertEvaluationJob>().RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var alerts = await tenant.GetFromJsonAsync<JsonElement>("/api/alerts");

        // Disabled and on a closed loopback port: a sync fails at once and nothing is ever scraped.
        var sourceId = (await Created(tenant, "/api/sources", new { name = "scrape", type = "prometheus", url = "http://127.0.0.1:1/metrics", intervalSeconds = 60, enabled = false }))
            .GetProperty("id").GetInt64();

        var t = start.AddMinutes(400).ToString("O");
        var ingest = $$$"""{"points":[{"metric":"probe.cpu","timestamp":"{{{t}}}","value":1.5,"dimensions":{"host":"a"}}]}""";
        var rule = """{"name":"probe rule","kind":"threshold","metricKey":"probe.cpu","dimensionFilter":{"host":"a"},"condition":{"operator":"above","threshold":10,"durationSeconds":60,"pendingSeconds":0},"channels":[{"type":"webhook","url":"http://127.0.0.1:1/hook","secret":"0123456789abcdef0123"}],"suppression":[{"dailyStart":"01:00","dailyEnd":"02:00"}],"enabled":true}""";
        var bodies = new Dictionary<string, string>
        {
            ["CreateOrganization"] = $$"""{"id":"probe-made-{{suffix}}","name":"Made by the probe"}""",
            ["CreateKey"] = """{"name":"probe","scopes":["metrics:read"]}""",
            ["IngestPoints"] = ingest,
            ["PushToSource"] = ingest,
            ["RunForecast"] = $$"""{"seriesId":{{hugeSeriesId}},"horizon":12,"method":"auto"}""",
            ["CreateAlertRule"] = rule,
            ["ReplaceAlertRule"] = rule,
            ["CreateSource"] = """{"name":"probe source","type":"prometheus","url":"http://127.0.0.1:1/metrics","intervalSeconds":60,"enabled":false}""",
        };
        var ids = new Dictionary<string, string>
        {
            ["organizationId"] = organization,
            ["seriesId"] = seriesId.ToString(),
            ["hugeSeriesId"] = hugeSeriesId.ToString(),
            ["forecastId"] = forecastId.ToString(),
            ["anomalyId"] = anomalies.GetArrayLength() > 0 ? anomalies[0].GetProperty("id").GetInt64().ToString() : "1",
            ["ruleId"] = ruleId.ToString(),
            ["alertId"] = alerts.GetArrayLength() > 0 ? alerts[0].GetProperty("id").GetInt64().ToString() : "1",
            ["sourceId"] = sourceId.ToString(),
            ["keyId"] = sacrificialKey,
        };
        return (key, new ProbeTargets(organization, other, ids, bodies, $"timestamp,metric,value,host\n{t},probe.cpu,2,a\n"));
    }

    private static async Task<JsonElement> Created(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var json = await response.Json();
        return json.TryGetProperty("source", out var source) ? source : json;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

public sealed class ProbeTestsOnFile(ApiFactory factory, ITestOutputHelper output) : ProbeTests<ApiFactory>(factory, output)
{
    protected override int Sampling => 1;
}

public sealed class ProbeTestsOnSqld(SqldApiFactory factory, ITestOutputHelper output) : ProbeTests<SqldApiFactory>(factory, output)
{
    protected override int Sampling => 3;
}
