namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// Detector settings. One set serves every series: nothing here is meant to be tuned per metric. The contextual
/// settings that matter (bits, bagging, spatial margin, rest period, deviation weight) were chosen by leave-one-folder-out
/// on the NAB files in ../shared (bench/IntentVision.Evaluation, <c>nab --lofo</c>), around the published CAD OSE defaults:
/// two grids of 16 bins, the second's edges offset by half a bin, and a rest period of 150 points.
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
/// <param name="ContextBits">Contextual detector: values are quantised into 2^bits bins of the range seen so far (1 to 8).</param>
/// <param name="ContextRestPeriod">Contextual detector: a raw score is reported only when it exceeds every raw score of
/// this many points before it (one incident, one detection); otherwise 0. 0 reports every raw score.</param>
/// <param name="SpatialMargin">A value beyond the minimum or maximum seen so far by this fraction of the range scores 1
/// (contextual kind).</param>
/// <param name="ContextCapacity">Contextual detector: most contexts learned (memory and time bound, below 65,536).</param>
/// <param name="MaxActiveContexts">Contextual detector: active contexts carried into the next step's left facts.</param>
/// <param name="MaxCandidates">Contextual detector: most partial-overlap candidate contexts considered per step.</param>
/// <param name="DeviationWeight">Contextual kind: the ensemble's deviation score, times this, is a floor under the
/// contextual score, so a large deviation is never scored as normal.</param>
/// <param name="ContextBagging">Contextual detector: the raw score is the mean over several quantisations (shifted bin
/// edges or neighbouring bit counts) instead of one grid's.</param>
/// <param name="ContextBagSize">Contextual detector: how many quantisations <see cref="ContextBagging"/> averages (2 to 5).</param>
/// <param name="DeviationTieBreak">Contextual kind: the score s becomes s + w (1 - s) d, d the ensemble's deviation score:
/// 0 leaves the score alone, a small w orders equal contextual scores by how far the value departs from its expectation,
/// 1 is the noisy-or of the two kinds of evidence.</param>
public sealed record AnomalyDetectorOptions(
    AnomalyDetectorKind Kind = AnomalyDetectorKind.Contextual,
    TimeSpan? Frequency = null,
    int ScaleWindow = 1024,
    int WarmUp = 24,
    int SeasonalCycles = 4,
    int LevelWindow = 5,
    int ReferenceWindow = 60,
    double HalfScoreDeviation = 6,
    int RepeatSuppression = 30,
    int ExtremesWindow = 2016,
    int ContextBits = 4,
    int ContextRestPeriod = 150,
    double SpatialMargin = 0.05,
    int ContextCapacity = 60000,
    int MaxActiveContexts = 4,
    int MaxCandidates = 32,
    double DeviationWeight = 0.9,
    ContextBagging ContextBagging = ContextBagging.ShiftedEdges,
    int ContextBagSize = 2,
    double DeviationTieBreak = 0)
{
    public static AnomalyDetectorOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the settings when any is out of its range.</summary>
    public void Validate()
    {
        if (ScaleWindow < 16 || WarmUp < 1 || SeasonalCycles < 1 || LevelWindow < 1 || ReferenceWindow < 4 || !(HalfScoreDeviation > 0)
            || RepeatSuppression < 0 || ExtremesWindow < 1 || ContextBits is < 1 or > 8 || ContextRestPeriod < 0 || !(SpatialMargin >= 0)
            || ContextCapacity is < 1 or >= 65536 || MaxActiveContexts < 1 || MaxCandidates < 0 || !(DeviationWeight >= 0)
            || !Enum.IsDefined(ContextBagging) || ContextBagSize is < 2 or > 5 || !(DeviationTieBreak is >= 0 and <= 1)
            || Frequency is { } f && f <= TimeSpan.Zero)
        {
            throw new ArgumentException($"invalid anomaly detector options: {this}.");
        }
    }
}
