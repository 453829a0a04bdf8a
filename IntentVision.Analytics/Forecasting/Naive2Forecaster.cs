namespace IntentVision.Analytics.Forecasting;

/// <summary>M4's Naive2: naive forecast of the seasonally adjusted series, re-seasonalised. OWA's denominator.</summary>
public sealed class Naive2Forecaster(int period) : IPointForecaster
{
    public string Name => "naive2";

    public PointForecast Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var adjustment = SeasonalAdjustment.Fit(history, period);
        var adjusted = adjustment.Adjust(history);
        var values = new double[horizon];
        Array.Fill(values, adjusted[^1]);
        adjustment.Reseasonalise(values, history.Length);
        return new PointForecast(values, $"naive on adjusted series; {adjustment.Describe()}");
    }
}
