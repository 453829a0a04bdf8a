namespace IntentVision.Analytics.AnomalyDetection;

public enum AnomalyDetectorKind
{
    /// <summary>Residuals of a short robust forecast against a MAD scale.</summary>
    ForecastResidualMad,

    /// <summary>Residuals of a seasonal baseline (per-phase medians of past cycles) against a MAD scale.</summary>
    SeasonalMad,

    /// <summary>A causal seasonal hybrid ESD test on a trailing window.</summary>
    SeasonalHybridEsd,

    /// <summary>The strongest normalised evidence of the three, plus level-shift evidence.</summary>
    Ensemble,

    /// <summary>
    /// The default: a contextual detector after CAD OSE (the share of the predictions of learned contexts that the new
    /// value fails, and the novelty of its context), with a spatial override for values beyond the range seen so far.
    /// The ensemble's deviations give the expected value and band, and a floor under the score.
    /// </summary>
    Contextual,
}
