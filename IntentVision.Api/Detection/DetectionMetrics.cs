using System.Diagnostics.Metrics;

namespace IntentVision.Api.Detection;

/// <summary>Meter <c>IntentVision.Detection</c>: what detection did with the points it was handed.</summary>
public sealed class DetectionMetrics : IDisposable
{
    public const string MeterName = "IntentVision.Detection";

    private readonly Meter _meter;

    public DetectionMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        Scored = _meter.CreateCounter<long>("intentvision.detection.points_scored", "{point}", "Points scored by anomaly detection.");
        Late = _meter.CreateCounter<long>("intentvision.detection.points_late", "{point}", "Points at or before their series' latest scored timestamp: stored, not scored.");
        Stored = _meter.CreateCounter<long>("intentvision.detection.anomalies_stored", "{anomaly}", "Anomalies stored (revisions not counted).");
        Suppressed = _meter.CreateCounter<long>("intentvision.detection.anomalies_suppressed", "{anomaly}", "Detections not stored because analyst feedback marked the pattern normal.");
        Loaded = _meter.CreateCounter<long>("intentvision.detection.states_loaded", "{series}", "Series states brought into memory (restored, rebuilt or new).");
        Snapshots = _meter.CreateCounter<long>("intentvision.detection.snapshot_bytes", "By", "Bytes of detector snapshots written.");
        Failures = _meter.CreateCounter<long>("intentvision.detection.failures", "{transaction}", "Ingest transactions whose detection failed and was undone (the points were kept).");
    }

    public Counter<long> Scored { get; }

    public Counter<long> Late { get; }

    public Counter<long> Stored { get; }

    public Counter<long> Suppressed { get; }

    public Counter<long> Loaded { get; }

    public Counter<long> Snapshots { get; }

    public Counter<long> Failures { get; }

    public void Dispose() => _meter.Dispose();
}
