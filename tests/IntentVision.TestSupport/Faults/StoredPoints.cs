using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntentVision.TestSupport.Faults;

/// <summary>
/// Checks what a load was told against what the API serves back: every acknowledged point stored with its value, and
/// each series' point count equal to the points it holds (a batch counted twice shows here). It reads through the API,
/// the product's own path, so it works wherever the database lives (a file in a private mount namespace included).
/// </summary>
public static class StoredPoints
{
    private const int Page = 200_000;

    /// <returns>Acknowledged points missing or with another value; points counted twice (or missed) by series statistics.</returns>
    public static async Task<(int Lost, int MiscountedPoints)> VerifyAsync(Uri api, string key, IngestLoad load)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var stored = new Dictionary<(string Series, long Ts), double>();
        var miscounted = 0L;
        var series = await ReadAsync(http, $"/api/series?metric={IngestLoad.Metric}&limit=1000");
        foreach (var one in series.EnumerateArray())
        {
            var name = one.GetProperty("dimensions").GetProperty("series").GetString()!;
            var rows = 0L;
            var from = DateTimeOffset.UnixEpoch;
            while (true)
            {
                var page = await ReadAsync(http, $"/api/series/{one.GetProperty("id").GetInt64()}/points?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&to=2100-01-01T00:00:00Z&limit={Page}");
                var points = page.GetProperty("points");
                foreach (var point in points.EnumerateArray())
                {
                    var at = point.GetProperty("timestamp").GetDateTimeOffset();
                    stored[(name, at.ToUnixTimeMilliseconds())] = point.GetProperty("value").GetDouble();
                    rows++;
                    from = at.AddMilliseconds(1);
                }

                if (points.GetArrayLength() < Page)
                {
                    break;
                }
            }

            miscounted += Math.Abs(one.GetProperty("pointCount").GetInt64() - rows);
        }

        var lost = 0;
        foreach (var batch in load.Acknowledged.Values)
        {
            foreach (var (name, timestamp, value) in load.PointsOf(batch.Writer, batch.Batch))
            {
                if (!stored.TryGetValue((name, timestamp.ToUnixTimeMilliseconds()), out var found) || found != value)
                {
                    lost++;
                }
            }
        }

        return (lost, (int)miscounted);
    }

    private static async Task<JsonElement> ReadAsync(HttpClient http, string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await http.GetAsync(path);
            if (response.IsSuccessStatusCode || attempt == 10)
            {
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            // Still recovering: the answer says when to come back.
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }
}
