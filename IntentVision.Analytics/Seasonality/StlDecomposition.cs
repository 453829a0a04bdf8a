namespace IntentVision.Analytics.Seasonality;

/// <summary>Result of a seasonal-trend decomposition: values = trend + Σ seasonals + remainder.</summary>
public sealed record StlDecomposition(
    IReadOnlyList<double> Trend,
    IReadOnlyList<int> Periods,
    IReadOnlyList<double[]> Seasonals,
    IReadOnlyList<double> Remainder);
