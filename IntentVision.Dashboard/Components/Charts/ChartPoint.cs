namespace IntentVision.Dashboard.Components.Charts;

// Radzen lays out a time axis for DateTime categories; all series of one chart share that type so they align.

/// <summary>An actual value on the chart.</summary>
public sealed record ChartPoint(DateTime Time, double Value);
