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
}
