namespace IntentVision.Analytics.Forecasting;

/// <summary>Point forecasts of one method, with a human-readable account of the fitted model.</summary>
public sealed record PointForecast(double[] Values, string Description);
