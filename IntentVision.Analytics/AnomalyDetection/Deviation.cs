namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>One detector's reading of a point: what it expected and how far off the value is, in robust SDs.</summary>
internal readonly record struct Deviation(double Expected, double Z, double Residual)
{
    public static Deviation None(double expected) => new(expected, 0, 0);
}
