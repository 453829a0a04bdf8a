namespace IntentVision.Analytics.Forecasting;

/// <summary>A method's forecast and interval half-widths, in the units the history was fitted in.</summary>
internal sealed record ForecastOutcome(string Method, double[] Values, PredictionIntervals Intervals);
