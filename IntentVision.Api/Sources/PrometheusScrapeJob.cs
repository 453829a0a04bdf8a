using System.Text.Json;
using IntentVision.Api.Ingestion;
using IntentVision.Api.Jobs;
using IntentVision.Data.Sources;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Sources;

/// <summary>
/// Scrapes every due <c>prometheus</c> source and stores its samples through the same validation as the API,
/// accepting the valid samples of a scrape and recording the rest (and any failure) as the source's last error.
/// </summary>
public sealed class PrometheusScrapeJob : PeriodicJob<PrometheusScrapeOptions>, IDisposable
{
    private readonly IngestionSourceRepository _sources;
    private readonly IngestionService _ingestion;
    private readonly HttpClient _http;

    public PrometheusScrapeJob(IngestionSourceRepository sources, IngestionService ingestion, IOptions<PrometheusScrapeOptions> options, TimeProvider time, ILogger<PrometheusScrapeJob> logger)
        : base(options, time, logger)
    {
        _sources = sources;
        _ingestion = ingestion;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Options.ScrapeTimeout };
        _http.DefaultRequestHeaders.Accept.ParseAdd("text/plain;version=0.0.4");
    }

    public override async Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var source in await _sources.ListDueAsync("prometheus", now, cancellationToken))
        {
            await ScrapeAsync(source, now, cancellationToken);
        }
    }

    /// <summary>Scrapes one source now; returns the error recorded, or null when every sample was stored.</summary>
    public async Task<string?> ScrapeAsync(IngestionSource source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string? error;
        try
        {
            var config = JsonSerializer.Deserialize<SourceConfig>(source.Config, JsonSerializerOptions.Web) ?? new SourceConfig();
            using var response = await _http.GetAsync(config.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                error = $"GET {config.Url} answered HTTP {(int)response.StatusCode}";
            }
            else if (response.Content.Headers.ContentLength > Options.MaxBodyBytes)
            {
                error = $"the exposition is larger than {Options.MaxBodyBytes} bytes";
            }
            else
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                var points = PrometheusTextParser.Parse(text, now);
                if (points.Count == 0)
                {
                    error = "the exposition held no finite samples";
                }
                else
                {
                    var outcome = await _ingestion.IngestAsync(source.OrganizationId, new IngestRequest(points), allowPartial: true, "prometheus", cancellationToken, "samples");
                    error = outcome.Errors is { } all
                        ? "no sample was accepted: " + string.Join("; ", all.ToDictionary().Take(3).Select(e => $"{e.Key} {e.Value[0]}"))
                        : outcome.Response!.Rejected > 0
                            ? $"{outcome.Response.Rejected} of {points.Count} samples rejected, e.g. " + string.Join("; ", outcome.Response.Errors!.Take(3).Select(e => $"{e.Key} {e.Value[0]}"))
                            : null;
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            error = e is TaskCanceledException ? $"the scrape timed out after {Options.ScrapeTimeout}" : e.Message;
        }

        await _sources.RecordSyncAsync(source.Id, now, error, cancellationToken);
        return error;
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
