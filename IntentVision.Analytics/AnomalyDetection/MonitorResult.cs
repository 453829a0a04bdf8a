namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>What one batch did to a series' monitor.</summary>
/// <param name="Anomalies">Anomalies to store, and revisions of earlier ones, in timestamp order.</param>
/// <param name="Scored">Points scored (newer than every point scored before).</param>
/// <param name="Late">Points at or before the latest scored timestamp (or repeated within the batch): not scored.</param>
/// <param name="Suppressed">Detections not stored because analyst feedback marked the same pattern as normal.</param>
public sealed record MonitorResult(IReadOnlyList<DetectedAnomaly> Anomalies, int Scored, int Late, int Suppressed)
{
    public static MonitorResult Empty { get; } = new([], 0, 0, 0);
}
