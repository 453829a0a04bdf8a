namespace IntentVision.Analytics.Forecasting;

/// <summary>One forecast step with its 80% and 95% prediction intervals.</summary>
public sealed record ForecastPoint(
    DateTimeOffset Timestamp,
    double Value,
    double Lower80,
    double Upper80,
    double Lower95,
    double Upper95);
