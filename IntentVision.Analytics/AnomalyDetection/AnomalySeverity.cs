namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>How bad a point looks. <see cref="None"/> is a normal point; alerting starts at <see cref="Low"/>.</summary>
public enum AnomalySeverity
{
    None = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
