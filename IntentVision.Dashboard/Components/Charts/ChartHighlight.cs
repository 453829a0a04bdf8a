namespace IntentVision.Dashboard.Components.Charts;

/// <summary>A moment to point at on a chart, with the band of values the detector expected there.</summary>
public sealed record ChartHighlight(DateTime Time, double? Expected, double? Lower, double? Upper);
