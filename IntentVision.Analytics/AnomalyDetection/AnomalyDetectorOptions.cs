namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Detector settings. One set serves every series: nothing here is meant to be tuned per metric.
/// </summary>
/// <param name="Frequency">Sampling interval; inferred from the first timestamps when null.</param>
/// <param name="ScaleWindow">Past residuals the robust scale is estimated from.</param>
/// <param name="WarmUp">Points seen before any score is given.</param>
/// <param name="SeasonalCycles">Past cycles whose same-phase median forms the seasonal baseline.</param>
/// <param name="LevelWindow">Recent points whose median is compared with the reference level for level shifts.</param>
/// <param name="ReferenceWindow">Points before them that form the reference level.</param>
/// <param name="HalfScoreDeviation">Deviation, in robust standard deviations, that scores 0.5.</param>
/// <param name="RepeatSuppression">Points after a high score during which only stronger evidence scores fully,
/// so one incident raises one alert rather than a burst.</param>
/// <param name="ExtremesWindow">Points over which the largest past deviation is remembered; a new deviation is
/// judged against it, so each series is held to its own normal extremes.</param>
public sealed record AnomalyDetectorOptions(
    AnomalyDetectorKind Kind = AnomalyDetectorKind.Ensemble,
    TimeSpan? Frequency = null,
    int ScaleWindow = 1024,
    int WarmUp = 24,
    int SeasonalCycles = 4,
    int LevelWindow = 5,
    int ReferenceWindow = 60,
    double HalfScoreDeviation = 6,
    int RepeatSuppression = 0,
    int ExtremesWindow = 2016)
{
    public static AnomalyDetectorOptions Default { get; } = new();
}
