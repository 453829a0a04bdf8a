namespace IntentVision.Dashboard.Components.Charts;

/// <summary>A forecast step with its 80% and 95% intervals.</summary>
public sealed record BandPoint(DateTime Time, double Value, double Lower80, double Upper80, double Lower95, double Upper95);
