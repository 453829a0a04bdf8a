using System.Text;
using System.Text.Json;
using IntentVision.Api.Egress;
using IntentVision.Api.Ingestion;
using IntentVision.Api.Jobs;
using IntentVision.Data.Sources;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Sources;

/// <summary>
/// Scrapes every due <c>prometheus</c> source through the egress policy and stores its samples through the same
/// validation as the API: counters as they are plus their derived per-second rate, an <c>up{source="&lt;name&gt;"}</c>
/// series (1 when the scrape worked, 0 when not), and each metric's declared type. The error of a failed scrape is
/// kept on the source as a short category, never socket detail.
/// </summary>
public sealed class PrometheusScrapeJob(
    IngestionSourceRepository sources,
    SourceScrapeStateRepository scrapeState,
    IngestionService ingestion,
    EgressHttpClient http,
    IOptions<PrometheusScrapeOptions> options,
    TimeProvider time,
    ILogger<PrometheusScrapeJob> logger) : PeriodicJob<PrometheusScrapeOptions>(options, time, logger)
{
    public override async Task RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var source in await sources.ListDueAsync("prometheus", now, cancellationToken))
        {
            await ScrapeAsync(source, now, cancellationToken);
        }
    }

    /// <summary>Scrapes one source now; returns the error recorded, or null when every sample was stored.</summary>
    public async Task<string?> ScrapeAsync(IngestionSource source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string? error;
        var succeeded = false;
        PrometheusExposition? exposition = null;
        try
        {
            var config = JsonSerializer.Deserialize<SourceConfig>(source.Config, JsonSerializerOptions.Web) ?? new SourceConfig();
            using var request = new HttpRequestMessage(HttpMethod.Get, config.Url);
            request.Headers.Accept.ParseAdd("text/plain;version=0.0.4");
            var response = await http.SendAsync(request, Options.MaxBodyBytes, Options.ScrapeTimeout, cancellationToken);
            if (!response.IsSuccess)
            {
                error = $"bad_response: HTTP {response.StatusCode}";
            }
            else
            {
                exposition = PrometheusTextParser.ParseExposition(Encoding.UTF8.GetString(response.Body), now);
                error = exposition.Points.Count == 0 ? "bad_response: the exposition held no finite samples" : null;
            }
        }
        catch (EgressException e)
        {
            error = e.Describe();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or UriFormatException)
        {
            error = "bad_response: the source's URL cannot be scraped";
        }

        var points = new List<IngestPoint?> { new("up", now, error is null ? 1 : 0, new Dictionary<string, string?> { ["source"] = source.Name }) };
        List<Data.Sources.CounterSample> counters = [];
        if (error is null && exposition is not null)
        {
            var counterSamples = exposition.Points.OfType<IngestPoint>().Where(p => exposition.SampleTypes.GetValueOrDefault(p.Metric!).Type == "counter");
            var (rates, latest) = CounterRates.Derive(counterSamples, await scrapeState.ListCountersAsync(source.Id, cancellationToken));
            counters = latest;
            points.AddRange(exposition.Points);
            points.AddRange(rates);
        }

        var outcome = await ingestion.IngestAsync(source.OrganizationId, new IngestRequest(points), allowPartial: true, "prometheus", cancellationToken, "samples");
        if (error is null)
        {
            succeeded = outcome.Response is not null;
            error = outcome.Errors is { } all
                ? "no sample was accepted: " + string.Join("; ", all.ToDictionary().Take(3).Select(e => $"{e.Key} {e.Value[0]}"))
                : outcome.Response!.Rejected > 0
                    ? $"{outcome.Response.Rejected} of {points.Count} samples rejected, e.g. " + string.Join("; ", outcome.Response.Errors!.Take(3).Select(e => $"{e.Key} {e.Value[0]}"))
                    : null;
            if (succeeded)
            {
                var types = exposition!.SampleTypes.Select(t => new SourceMetric(t.Key, t.Value.Type, t.Value.Help, now)).ToList();
                await scrapeState.SaveScrapeAsync(source.Id, types, counters, cancellationToken);
            }
        }

        await sources.RecordSyncAsync(source.Id, now, error, succeeded, cancellationToken);
        return error;
    }
}
