namespace IntentVision.Analytics.Forecasting;

/// <summary>A forecast and the account of how it was made.</summary>
/// <param name="Method">The method that produced the points; for "auto", what it chose: one candidate's name or the mean of several, <c>mean(mstl-ets, snaive)</c>.</param>
/// <param name="ModelInfo">Why this method, what was fitted, and any fallback or data repair that happened.</param>
/// <param name="SeasonalPeriods">Seasonal periods (in samples) found in the data.</param>
/// <param name="FilledGaps">Grid slots that were missing from the history and interpolated.</param>
public sealed record ForecastResult(
    IReadOnlyList<ForecastPoint> Points,
    string Method,
    string ModelInfo,
    TimeSpan Frequency,
    IReadOnlyList<int> SeasonalPeriods,
    int FilledGaps);
