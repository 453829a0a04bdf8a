namespace IntentVision.Analytics.Forecasting;

/// <summary>One member of the exponential-smoothing family, fitted to the raw series.</summary>
public sealed class ExponentialSmoothingForecaster(string name, TrendKind trend, SeasonKind season, int period = 1) : IPointForecaster
{
    public string Name { get; } = name;

    public PointForecast Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var fit = ExponentialSmoothing.Fit(history, trend, season, period);
        return new PointForecast(fit.Forecast(horizon), fit.Describe());
    }
}
