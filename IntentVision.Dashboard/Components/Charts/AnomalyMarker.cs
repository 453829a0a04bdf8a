namespace IntentVision.Dashboard.Components.Charts;

/// <summary>An anomaly drawn on the chart; the tooltip shows value, expected value and score.</summary>
public sealed record AnomalyMarker(long Id, DateTime Time, double Value, double? Expected, double Score, string Severity);
