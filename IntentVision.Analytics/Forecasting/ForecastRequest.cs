namespace IntentVision.Analytics.Forecasting;

/// <summary>What to forecast.</summary>
/// <param name="Horizon">Number of steps ahead, on the series' frequency.</param>
/// <param name="Frequency">The grid to regularise the history to; inferred from the median spacing when null.</param>
/// <param name="Method">"auto" or one of <see cref="SeriesForecaster.Methods"/>.</param>
public sealed record ForecastRequest(int Horizon, TimeSpan? Frequency = null, string Method = "auto");
