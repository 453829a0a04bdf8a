namespace IntentVision.Api.Detection;

/// <summary>Configuration <c>IntentVision:Jobs:Detection</c>.</summary>
public sealed class DetectionOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Latest points a detection pass reads; the detector scores each point from the ones before it.</summary>
    public int WindowPoints { get; set; } = 1500;
}
