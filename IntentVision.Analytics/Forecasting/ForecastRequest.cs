namespace IntentVision.Analytics.Forecasting;

/// <summary>What to forecast.</summary>
/// <param name="Horizon">Number of steps ahead, on the series' frequency.</param>
/// <param name="Frequency">The grid to regularise the history to; inferred from the median spacing when null.</param>
/// <param name="Method">"auto" or one of <see cref="SeriesForecaster.Methods"/>.</param>
/// <param name="SeasonalPeriod">
/// The season length, in samples, of the single-season methods (snaive, naive2, and the classical seasonal
/// adjustment of ses, holt, damped, theta and ets); 1 means none. Null: the shortest calendar cycle of the
/// frequency (a day for sub-daily data, a week for daily data, a year otherwise), which is what the API uses.
/// Benchmarks that define their own season (M4 treats daily and weekly data as non-seasonal) set it.
/// Multi-season decompositions always look for the calendar cycles.
/// </param>
public sealed record ForecastRequest(int Horizon, TimeSpan? Frequency = null, string Method = "auto", int? SeasonalPeriod = null);
