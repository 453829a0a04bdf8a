namespace IntentVision.Dashboard.Services;

/// <summary>
/// Why the detector called a point anomalous: the value it expected, the band of normal values (inclusive), how far
/// outside in robust standard deviations (signed), the detector and the seasonality it used, and a sentence.
/// </summary>
public sealed record AnomalyExplanationDto(
    double Expected,
    double Lower,
    double Upper,
    double Deviation,
    string Detector,
    long? SeasonalPeriodSeconds,
    string Type,
    string Summary);
