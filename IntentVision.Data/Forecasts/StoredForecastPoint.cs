namespace IntentVision.Data.Forecasts;

/// <summary>One step of a stored forecast with its 80% and 95% intervals.</summary>
public sealed record StoredForecastPoint(DateTimeOffset Timestamp, double Value, double Lower80, double Upper80, double Lower95, double Upper95);
