using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntentVision.TestSupport.Faults;

/// <summary>
/// Writers posting batches to one or more APIs the way a careful client does, while a fault is injected: every batch
/// carries an Idempotency-Key, a 503, 507 or 429 is retried with the same key after its Retry-After (capped at
/// <see cref="MaxRetryWait"/> so recovery is measured, not the client's patience), a broken connection is retried at
/// once. Every attempt is recorded; a batch counts as acknowledged when a 200 answers it. Each point has a timestamp
/// of its own, so the stored data can be checked point by point afterwards.
/// </summary>
public sealed class IngestLoad
{
    public const string Metric = "fault.load";

    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(1);

    /// <summary>Points are 100 ms apart from here on: a run of millions stays inside the API's accepted window (up to 24 h ahead).</summary>
    private static readonly DateTimeOffset Origin = DateTimeOffset.UtcNow.AddDays(-20).Date;

    private readonly IReadOnlyList<Uri> _apis;
    private readonly string _key;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <param name="apis">Where to post: writer i posts to apis[i % count] (two replicas behind a balancer).</param>
    /// <param name="key">An API key with ingest:write.</param>
    /// <param name="writers">Concurrent writers.</param>
    /// <param name="batchSize">Points per batch.</param>
    /// <param name="sharedSeries">All writers write one series (contention on one series) rather than one each.</param>
    public IngestLoad(IReadOnlyList<Uri> apis, string key, int writers, int batchSize, bool sharedSeries)
    {
        _apis = apis;
        _key = key;
        Writers = writers;
        BatchSize = batchSize;
        SharedSeries = sharedSeries;
    }

    public int Writers { get; }

    public int BatchSize { get; }

    public bool SharedSeries { get; }

    /// <summary>Every answer (or broken connection) the writers got.</summary>
    public ConcurrentQueue<IngestAttempt> Attempts { get; } = new();

    /// <summary>Batches answered 200, with what the answer said.</summary>
    public ConcurrentDictionary<(int Writer, int Batch), AcknowledgedBatch> Acknowledged { get; } = new();

    /// <summary>Batches given up (a 4xx that is not a retry signal: a bug in the API or the load).</summary>
    public ConcurrentQueue<IngestAttempt> Refused { get; } = new();

    /// <summary>Runs the writers until <paramref name="stop"/>; a batch in flight then is still retried until answered (within <paramref name="drain"/>).</summary>
    public async Task RunAsync(CancellationToken stop, TimeSpan drain)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(5) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => WriteAsync(http, w, stop, drain)));
    }

    /// <summary>The points of one batch: (series dimension, timestamp, value), all distinct timestamps across the run.</summary>
    public IReadOnlyList<(string Series, DateTimeOffset Timestamp, double Value)> PointsOf(int writer, int batch)
    {
        var points = new List<(string, DateTimeOffset, double)>(BatchSize);
        for (var i = 0; i < BatchSize; i++)
        {
            var slot = (((long)batch * Writers) + writer) * BatchSize + i;
            points.Add((SeriesOf(writer), Origin.AddMilliseconds(slot * 100), writer * 1_000_000.0 + batch * 1_000 + i + 0.25));
        }

        return points;
    }

    /// <summary>The value of the <c>series</c> dimension a writer's points carry.</summary>
    public string SeriesOf(int writer) => SharedSeries ? $"{_run}-shared" : $"{_run}-w{writer}";

    private async Task WriteAsync(HttpClient http, int writer, CancellationToken stop, TimeSpan drain)
    {
        var api = _apis[writer % _apis.Count];
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var points = PointsOf(writer, batch);
            var body = JsonSerializer.Serialize(new
            {
                points = points.Select(p => new { metric = Metric, timestamp = p.Timestamp, value = p.Value, dimensions = new Dictionary<string, string> { ["series"] = p.Series } }),
            });
            var key = $"{_run}-{writer}-{batch}";
            var giveUp = Stopwatch.StartNew();
            CancellationTokenSource? draining = null;
            try
            {
                while (true)
                {
                    if (stop.IsCancellationRequested && draining is null)
                    {
                        draining = new CancellationTokenSource(drain);
                    }

                    if (draining?.IsCancellationRequested == true)
                    {
                        break;
                    }

                    var attempt = await PostAsync(http, api, writer, batch, key, body);
                    Attempts.Enqueue(attempt);
                    if (attempt.Status == 200)
                    {
                        Acknowledged[(writer, batch)] = new AcknowledgedBatch(writer, batch, attempt.Replayed, attempt.Inserted, attempt.Updated, attempt.At);
                        break;
                    }

                    if (attempt.Status is 503 or 507 or 429)
                    {
                        await Task.Delay(Min(attempt.RetryAfter ?? TimeSpan.FromMilliseconds(200), MaxRetryWait));
                        continue;
                    }

                    if (attempt.Status == 0)
                    {
                        await Task.Delay(100);
                        continue;
                    }

                    // Anything else (500, 4xx) is a wrong answer: recorded, and the batch is abandoned.
                    Refused.Enqueue(attempt);
                    break;
                }
            }
            finally
            {
                draining?.Dispose();
            }
        }
    }

    private static async Task<IngestAttempt> PostAsync(HttpClient http, Uri api, int writer, int batch, string key, string body)
    {
        var started = Stopwatch.GetTimestamp();
        var at = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "/api/metrics")) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        try
        {
            using var response = await http.SendAsync(request);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var json = await response.Content.ReadFromJsonAsync<JsonElement>();
                var replayed = response.Headers.TryGetValues("Idempotency-Replayed", out var values) && values.Contains("true");
                return new IngestAttempt(at, writer, batch, 200, elapsed, retryAfter, null, replayed, json.GetProperty("inserted").GetInt32(), json.GetProperty("updated").GetInt32());
            }

            var text = await response.Content.ReadAsStringAsync();
            var (cause, wellFormed) = ReadProblem(text, response.Content.Headers.ContentType?.MediaType, (int)response.StatusCode);
            return new IngestAttempt(at, writer, batch, (int)response.StatusCode, elapsed, retryAfter, cause, false, 0, 0) { WellFormed = wellFormed };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return new IngestAttempt(at, writer, batch, 0, Stopwatch.GetElapsedTime(started), null, e.GetType().Name, false, 0, 0);
        }
    }

    /// <summary>
    /// The cause a failure names, and whether its body is what a client may rely on: problem details
    /// (<c>application/problem+json</c>) whose status matches, with a title, and for a database failure its cause;
    /// never the text of an exception or a stack trace.
    /// </summary>
    private static (string? Cause, bool WellFormed) ReadProblem(string text, string? mediaType, int status)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<JsonElement>(text);
            var cause = problem.TryGetProperty("cause", out var c) ? c.GetString() : problem.TryGetProperty("title", out var t) ? t.GetString() : null;
            var wellFormed = mediaType == "application/problem+json"
                && problem.TryGetProperty("status", out var s) && s.GetInt32() == status
                && problem.TryGetProperty("title", out _)
                && (status is not (503 or 507) || problem.TryGetProperty("cause", out _))
                && !text.Contains("Exception", StringComparison.Ordinal)
                && !text.Contains(" at IntentVision.", StringComparison.Ordinal);
            return (cause, wellFormed);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>One request of the load: its answer's status (0 for a broken connection), how long it took, and what it said.</summary>
public sealed record IngestAttempt(DateTimeOffset At, int Writer, int Batch, int Status, TimeSpan Elapsed, TimeSpan? RetryAfter, string? Cause, bool Replayed, int Inserted, int Updated)
{
    /// <summary>A failure's body is problem details naming its cause, without exception text (see <see cref="IngestLoad"/>).</summary>
    public bool WellFormed { get; init; } = true;

    public DateTimeOffset AnsweredAt => At + Elapsed;

    public override string ToString() =>
        $"writer {Writer} batch {Batch}: {Status} in {Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms ({Cause ?? "-"})";
}

/// <summary>A batch answered 200: replayed from its idempotency record or applied, with the counts the answer gave.</summary>
public sealed record AcknowledgedBatch(int Writer, int Batch, bool Replayed, int Inserted, int Updated, DateTimeOffset At);
