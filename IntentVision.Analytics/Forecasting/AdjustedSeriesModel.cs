namespace IntentVision.Analytics.Forecasting;

/// <summary>Which non-seasonal model extrapolates the seasonally adjusted series of a decomposition method.</summary>
public enum AdjustedSeriesModel
{
    /// <summary>SES, Holt or damped Holt, whichever has the lowest AICc.</summary>
    ExponentialSmoothing,

    Theta,
}
