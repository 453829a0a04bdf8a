namespace IntentVision.Dashboard.Services;

/// <summary>One step of a forecast with its 80% and 95% intervals.</summary>
public sealed record ForecastPointDto(DateTimeOffset Timestamp, double Value, double Lower80, double Upper80, double Lower95, double Upper95);
