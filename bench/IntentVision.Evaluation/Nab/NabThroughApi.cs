using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.Analytics.Series;

namespace IntentVision.Evaluation.Nab;

/// <summary>
/// The end-to-end mode: every file is posted to <c>POST /api/metrics</c> in <see cref="NabBatches"/> (file order, 12 to
/// 100 rows a request), the anomalies are read back from <c>GET /api/anomalies</c>, and a row scores the stored
/// anomaly's score at its timestamp, 0 where none. Files go through one at a time, as a collector would send them.
/// </summary>
public static class NabThroughApi
{
    private const int MaxAttempts = 10;

    /// <summary>Scores per row of every file; against <paramref name="apiUrl"/> when given, else an API started in process.</summary>
    public static async Task<double[][]> ScoreAsync(IReadOnlyList<NabSeries> corpus, Uri? apiUrl, string? apiKey, CancellationToken cancellationToken)
    {
        if (apiUrl is null)
        {
            await using var api = await InProcessApi.StartAsync(cancellationToken);
            return await StreamAsync(corpus, api.BaseAddress, InProcessApi.AdminKey, cancellationToken);
        }

        if (string.IsNullOrEmpty(apiKey))
        {
            throw new ArgumentException("--api-url needs --api-key");
        }

        return await StreamAsync(corpus, apiUrl, apiKey, cancellationToken);
    }

    private static async Task<double[][]> StreamAsync(IReadOnlyList<NabSeries> corpus, Uri baseAddress, string key, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var run = "r" + Guid.NewGuid().ToString("N")[..8];
        if (await TryCreateOrganizationAsync(http, run, cancellationToken) is { } organizationKey)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", organizationKey);
        }

        var result = new double[corpus.Count][];
        for (var i = 0; i < corpus.Count; i++)
        {
            result[i] = await ScoreFileAsync(http, MetricName(run, corpus[i].Key), corpus[i], cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// The metric a file is posted as: the run, then its key with every character a metric name may not hold (a proxy's
    /// marker, a space in a file name) written as its code between colons (a colon
    /// too), so that different keys stay different metrics.
    /// </summary>
    public static string MetricName(string run, string key)
    {
        var name = new System.Text.StringBuilder("nab.").Append(run).Append('/');
        foreach (var c in key)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '-' or '_')
            {
                name.Append(c);
            }
            else
            {
                name.Append(':').Append(((int)c).ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append(':');
            }
        }

        return name.ToString();
    }

    /// <summary>With an admin key: a new organization and a key of its own; with an organization's key: null (use it).</summary>
    private static async Task<string?> TryCreateOrganizationAsync(HttpClient http, string run, CancellationToken cancellationToken)
    {
        var organization = "nab-" + run;
        using var created = await http.PostAsJsonAsync("/api/organizations", new { id = organization, name = "NAB end-to-end run " + run }, cancellationToken);
        if (created.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(created, cancellationToken);
        using var keyRequest = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonContent.Create(new { name = "nab", scopes = new[] { "ingest:write", "metrics:read" } }) };
        keyRequest.Headers.Add("X-IntentVision-Organization", organization);
        using var keyResponse = await http.SendAsync(keyRequest, cancellationToken);
        await EnsureSuccessAsync(keyResponse, cancellationToken);
        return (await keyResponse.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("key").GetString();
    }

    private static async Task<double[]> ScoreFileAsync(HttpClient http, string metric, NabSeries series, CancellationToken cancellationToken)
    {
        long? seriesId = null;
        foreach (var range in NabBatches.Split(series.Key, series.Values.Length))
        {
            var (offset, length) = range.GetOffsetAndLength(series.Values.Length);
            var points = Enumerable.Range(offset, length).Select(i => new
            {
                metric,
                timestamp = new DateTimeOffset(series.Timestamps[i], TimeSpan.Zero),
                value = series.Values[i],
            });
            using var response = await PostAsync(http, "/api/metrics", new { points }, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            seriesId ??= (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("seriesIds")[0].GetInt64();
        }

        var stored = new Dictionary<DateTimeOffset, double>();
        string? before = null;
        while (seriesId is not null)
        {
            // Newest first, 5,000 a page; the next page ends where this one did.
            using var response = await SendAsync(http, () => new HttpRequestMessage(HttpMethod.Get, $"/api/anomalies?seriesId={seriesId}&limit=5000{before}"), cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var count = 0;
            DateTimeOffset? oldest = null;
            foreach (var anomaly in page.EnumerateArray())
            {
                var timestamp = anomaly.GetProperty("timestamp").GetDateTimeOffset();
                stored[timestamp] = anomaly.GetProperty("score").GetDouble();
                oldest = oldest is null || timestamp < oldest ? timestamp : oldest;
                count++;
            }

            if (count < 5000 || oldest is null)
            {
                break;
            }

            before = "&to=" + Uri.EscapeDataString(oldest.Value.ToString("O"));
        }

        var timed = series.Timestamps.Select((t, i) => new TimedValue(new DateTimeOffset(t, TimeSpan.Zero), series.Values[i])).ToArray();
        return MonitorScoring.ByRow(timed, stored);
    }

    private static Task<HttpResponseMessage> PostAsync<T>(HttpClient http, string path, T body, CancellationToken cancellationToken) =>
        SendAsync(http, () => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, cancellationToken);

    /// <summary>
    /// Sends as a collector would against a running API, whose quotas answer a fast client with 429: the request is sent
    /// again after its Retry-After (a few times at most).
    /// </summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            var response = await http.SendAsync(message, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == MaxAttempts)
            {
                return response;
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait, cancellationToken);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
