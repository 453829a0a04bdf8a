using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntentVision.IntegrationTests;

/// <summary>
/// Anomaly detection through the whole topology: a collector streams a series with one spike to the API the AppHost
/// started (in batches of 12 to 100), and an analyst reads the anomaly back with its explanation and marks it.
/// </summary>
internal static class DetectionScenario
{
    public static async Task RunAsync(HttpClient api, string adminApiKey, string organizationPrefix)
    {
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminApiKey);
        var org = organizationPrefix + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/organizations", new { id = org, name = "Detection" })).StatusCode);
        var created = await api.PostAsJsonAsync($"/api/organizations/{org}/keys", new { name = "collector", scopes = new[] { "ingest:write", "metrics:read", "alerts:write" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());

        var t0 = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(-2);
        var random = new Random(11);
        long seriesId = 0;
        for (var start = 0; start < 600;)
        {
            var size = random.Next(12, 101);
            var points = Enumerable.Range(start, Math.Min(size, 600 - start))
                .Select(i => new { metric = "checkout.latency", timestamp = t0.AddMinutes(i), value = (i == 500 ? 900.0 : 100 + (10 * Math.Sin(i / 30.0))) + (i % 3) });
            var response = await api.PostAsJsonAsync("/api/metrics", new { points });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seriesId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seriesIds")[0].GetInt64();
            start += size;
        }

        var anomalies = await api.GetFromJsonAsync<JsonElement>($"/api/anomalies?seriesId={seriesId}");
        var spike = Assert.Single(anomalies.EnumerateArray(), a => a.GetProperty("timestamp").GetDateTimeOffset() == t0.AddMinutes(500));
        var explanation = spike.GetProperty("explanation");
        Assert.Equal("contextual-v2", explanation.GetProperty("detector").GetString());
        Assert.Equal("point", explanation.GetProperty("type").GetString());
        Assert.True(explanation.GetProperty("deviation").GetDouble() > 6, explanation.ToString());
        Assert.StartsWith("Spike:", explanation.GetProperty("summary").GetString());

        var marked = await api.PostAsJsonAsync($"/api/anomalies/{spike.GetProperty("id").GetInt64()}/feedback", new { verdict = "not_anomaly" });
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        Assert.Equal("not_anomaly", (await marked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("feedback").GetProperty("verdict").GetString());
    }
}
