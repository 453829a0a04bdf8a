namespace IntentVision.Analytics.Forecasting;

/// <summary>A method that turns an equally spaced history into point forecasts.</summary>
public interface IPointForecaster
{
    /// <summary>Short method name as used in requests and reports (e.g. "snaive", "mstl-ets").</summary>
    string Name { get; }

    PointForecast Forecast(ReadOnlySpan<double> history, int horizon);
}
