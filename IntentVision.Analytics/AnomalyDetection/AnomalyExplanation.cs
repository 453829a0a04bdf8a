namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Why a point was stored as an anomaly, in the terms of the detector at that time.
/// </summary>
/// <param name="Expected">The value the detector expected.</param>
/// <param name="Lower">The low end of the band of normal values (expected minus 3 robust standard deviations).</param>
/// <param name="Upper">The high end of the band.</param>
/// <param name="Deviation">Robust standard deviations from the expected value, signed (+ above); null when the series
/// has shown no spread to judge by.</param>
/// <param name="Detector">The detector and its version, e.g. <c>contextual-v2</c>.</param>
/// <param name="SeasonalPeriod">The seasonality the expected value followed; null when none.</param>
/// <param name="Type">Point, level shift or trend change.</param>
/// <param name="Evidence">What decided the score: a new pattern, a new extreme or the deviation.</param>
/// <param name="Summary">One sentence for an analyst.</param>
public sealed record AnomalyExplanation(
    double Expected,
    double Lower,
    double Upper,
    double? Deviation,
    string Detector,
    TimeSpan? SeasonalPeriod,
    AnomalyType Type,
    AnomalyEvidence Evidence,
    string Summary);
