namespace IntentVision.Dashboard.Components.Charts;

/// <summary>
/// One line on a chart besides the main series: another series overlaid, or the same series N days earlier
/// (its points already moved forward by that offset, so they line up with today's).
/// </summary>
public sealed record ChartLine(string Key, string Label, IReadOnlyList<ChartPoint> Points, bool Dashed = false);
