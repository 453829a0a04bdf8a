using System.Collections.Concurrent;
using System.Net;

namespace IntentVision.TestSupport.Faults;

/// <summary>Polls an API's <c>/health</c> (readiness) every <see cref="Interval"/> and keeps the timeline of answers.</summary>
public sealed class HealthWatch
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Uri _api;

    public HealthWatch(Uri api) => _api = api;

    /// <summary>The body of each distinct unhealthy answer (what an operator sees), in order.</summary>
    public ConcurrentQueue<string> UnhealthyAnswers { get; } = new();

    /// <summary>(when, healthy): a timeout or a broken connection counts as unhealthy.</summary>
    public ConcurrentQueue<(DateTimeOffset At, bool Healthy)> Samples { get; } = new();

    public async Task RunAsync(CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = _api, Timeout = TimeSpan.FromSeconds(5) };
        while (!stop.IsCancellationRequested)
        {
            bool healthy;
            try
            {
                using var response = await http.GetAsync("/health", stop);
                healthy = response.StatusCode == HttpStatusCode.OK;
                if (!healthy)
                {
                    var body = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stop)}";
                    if (!UnhealthyAnswers.Contains(body))
                    {
                        UnhealthyAnswers.Enqueue(body);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                healthy = false;
            }

            Samples.Enqueue((DateTimeOffset.UtcNow, healthy));
            try
            {
                await Task.Delay(Interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The first unhealthy answer at or after <paramref name="from"/>, if any.</summary>
    public DateTimeOffset? FirstUnhealthyAfter(DateTimeOffset from) =>
        Samples.Where(s => s.At >= from && !s.Healthy).Select(s => (DateTimeOffset?)s.At).FirstOrDefault();

    /// <summary>The first healthy answer at or after <paramref name="from"/> from which it stays healthy, if any.</summary>
    public DateTimeOffset? HealthyAgainAfter(DateTimeOffset from)
    {
        DateTimeOffset? since = null;
        foreach (var (at, healthy) in Samples.Where(s => s.At >= from))
        {
            since = healthy ? since ?? at : null;
        }

        return since;
    }
}
