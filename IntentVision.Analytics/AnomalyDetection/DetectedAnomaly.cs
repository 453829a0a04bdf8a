namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// An anomaly a <see cref="SeriesAnomalyMonitor"/> asks its caller to store (one per series and timestamp).
/// A revision restates an anomaly returned earlier with the same timestamp and score once its type is known
/// (a departure that persisted is a level shift or trend change); the caller replaces the stored one.
/// </summary>
public sealed record DetectedAnomaly(
    DateTimeOffset Timestamp,
    double Value,
    double Score,
    AnomalySeverity Severity,
    AnomalyExplanation Explanation,
    bool IsRevision)
{
    public AnomalyType Type => Explanation.Type;
}
