namespace IntentVision.Analytics.Alerting;

/// <summary>Fires when every value for at least <paramref name="Duration"/> breaches the threshold.</summary>
public sealed record ThresholdRule(ComparisonOperator Operator, double Threshold, TimeSpan Duration);

/// <summary>Fires when an anomaly at or above <paramref name="MinimumSeverity"/> was scored within <paramref name="Lookback"/>.</summary>
public sealed record AnomalySeverityRule(AnomalyDetection.AnomalySeverity MinimumSeverity, TimeSpan Lookback);

/// <summary>Fires when the forecast breaches the threshold within <paramref name="Horizon"/> of the evaluation time.</summary>
/// <param name="UseUpper95">Judge the upper (for Above) or lower (for Below) 95% bound rather than the point forecast.</param>
public sealed record ForecastThresholdRule(ComparisonOperator Operator, double Threshold, TimeSpan Horizon, bool UseUpper95 = false);

/// <summary>Fires when the value changes faster than <paramref name="MaxChangePerUnit"/> per <paramref name="Unit"/>
/// between consecutive points within <paramref name="Lookback"/> (absolute rate).</summary>
public sealed record RateOfChangeRule(double MaxChangePerUnit, TimeSpan Unit, TimeSpan Lookback);

/// <summary>Fires when no point has arrived for longer than <paramref name="MaxSilence"/>.</summary>
public sealed record MissingDataRule(TimeSpan MaxSilence);
