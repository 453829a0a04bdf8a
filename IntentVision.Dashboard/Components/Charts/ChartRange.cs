namespace IntentVision.Dashboard.Components.Charts;

/// <summary>A time window of a chart (UTC), as the analyst dragged it.</summary>
public sealed record ChartRange(DateTime From, DateTime To);
