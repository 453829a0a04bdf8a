namespace IntentVision.Analytics.Forecasting;

/// <summary>Repeats the last full cycle: the reference every seasonal method has to beat.</summary>
public sealed class SeasonalNaiveForecaster(int period, string name = "snaive") : IPointForecaster
{
    public string Name { get; } = name;

    public int Period { get; } = period;

    public PointForecast Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var n = history.Length;
        var values = new double[horizon];
        if (n < Period)
        {
            Array.Fill(values, history[^1]);
            return new PointForecast(values, $"seasonal naive needs {Period} points, had {n}: last value repeated");
        }

        for (var h = 0; h < horizon; h++)
        {
            values[h] = history[n - Period + (h % Period)];
        }

        return new PointForecast(values, $"last cycle of {Period} repeated");
    }
}
