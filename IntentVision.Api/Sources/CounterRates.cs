using IntentVision.Api.Ingestion;
using IntentVision.Data.Metrics;
using IntentVision.Data.Sources;

namespace IntentVision.Api.Sources;

/// <summary>
/// Derives a per-second rate series (<c>&lt;counter&gt;:rate</c>, same dimensions) from consecutive samples of each
/// counter, as Prometheus' rate() does: a value lower than the previous one is a reset (the process restarted and
/// counted up from zero), so the increase is the new value itself, never a negative rate.
/// </summary>
public static class CounterRates
{
    public const string Suffix = ":rate";

    public static (List<IngestPoint> Rates, List<CounterSample> Latest) Derive(
        IEnumerable<IngestPoint> counterSamples, IReadOnlyDictionary<string, CounterSample> previous)
    {
        var rates = new List<IngestPoint>();
        var latest = new List<CounterSample>();
        foreach (var sample in counterSamples)
        {
            var dimensions = sample.Dimensions?.Where(d => d.Value is not null).ToDictionary(d => d.Key, d => d.Value!) ?? [];
            var key = sample.Metric + CanonicalDimensions.Serialize(dimensions);
            var ts = sample.Timestamp!.Value.ToUnixTimeMilliseconds();
            var value = sample.Value!.Value;
            if (previous.TryGetValue(key, out var before) && ts > before.TimestampMs)
            {
                var increase = value >= before.Value ? value - before.Value : value;
                rates.Add(new IngestPoint(sample.Metric + Suffix, sample.Timestamp, increase / ((ts - before.TimestampMs) / 1000.0), sample.Dimensions));
            }

            latest.Add(new CounterSample(key, value, ts));
        }

        return (rates, latest);
    }
}
