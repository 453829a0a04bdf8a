namespace IntentVision.Api.Detection;

/// <summary>Configuration <c>IntentVision:Jobs:Detection</c>.</summary>
public sealed class DetectionOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Latest points a detection pass reads; the detector scores each point from the ones before it.</summary>
    public int WindowPoints { get; set; } = 1500;

    /// <summary>
    /// The least severe score that is stored as an anomaly. "Low" scores are the detector's background noise on a
    /// busy series (hundreds a day); analysts want the ones worth a look, so the default keeps medium and above.
    /// </summary>
    public IntentVision.Analytics.AnomalyDetection.AnomalySeverity MinimumSeverity { get; set; } = IntentVision.Analytics.AnomalyDetection.AnomalySeverity.Medium;
}
