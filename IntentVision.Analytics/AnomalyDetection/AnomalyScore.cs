namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>The verdict on one point, computed from the points before it only.</summary>
/// <param name="Expected">What the detector expected at this timestamp.</param>
/// <param name="Score">Anomaly score in [0, 1].</param>
public sealed record AnomalyScore(
    DateTimeOffset Timestamp,
    double Value,
    double Expected,
    double Score,
    AnomalySeverity Severity,
    AnomalyType Type);
