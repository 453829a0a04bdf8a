namespace IntentVision.Analytics.Forecasting;

/// <summary>Repeats the last observation: the fallback when nothing better can be fitted.</summary>
public sealed class NaiveForecaster : IPointForecaster
{
    public string Name => "naive";

    public PointForecast Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var values = new double[horizon];
        Array.Fill(values, history[^1]);
        return new PointForecast(values, "last value repeated");
    }
}
