namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// The M4 benchmarks' recipe: remove a classical seasonal component (when the ACF test says there is one),
/// forecast the adjusted series with a non-seasonal model, put the season back.
/// </summary>
public sealed class SeasonallyAdjustedForecaster(string name, int period, TrendKind trend) : IPointForecaster
{
    public string Name { get; } = name;

    public PointForecast Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var adjustment = SeasonalAdjustment.Fit(history, period);
        var adjusted = adjustment.Adjust(history);
        var fit = ExponentialSmoothing.Fit(adjusted, trend, SeasonKind.None);
        var values = fit.Forecast(horizon);
        adjustment.Reseasonalise(values, history.Length);
        return new PointForecast(values, $"{fit.Describe()} on adjusted series; {adjustment.Describe()}");
    }
}
