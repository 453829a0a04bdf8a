namespace IntentVision.Analytics.Forecasting;

/// <summary>The equal-weight mean of several methods' forecasts (M4's "Com" is the mean of SES, Holt and damped).</summary>
public sealed class MeanForecaster(string name, IReadOnlyList<IPointForecaster> members) : IPointForecaster
{
    public string Name { get; } = name;

    public PointForecast Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var values = new double[horizon];
        var parts = new List<string>();
        foreach (var member in members)
        {
            var forecast = member.Forecast(history, horizon);
            for (var h = 0; h < horizon; h++)
            {
                values[h] += forecast.Values[h] / members.Count;
            }

            parts.Add($"{member.Name}: {forecast.Description}");
        }

        return new PointForecast(values, $"mean of {string.Join("; ", parts)}");
    }
}
