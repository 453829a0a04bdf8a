using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Data.Metrics;

namespace IntentVision.Api.Detection;

/// <summary>
/// A series' monitor in memory, with the series' id and key, and how many of its scored points the stored snapshot
/// already covers.
/// </summary>
internal sealed class MonitoredSeries(long seriesId, SeriesKey key, SeriesAnomalyMonitor monitor, long pointsAtSnapshot)
{
    public long SeriesId { get; } = seriesId;

    public SeriesKey Key { get; } = key;

    public SeriesAnomalyMonitor Monitor { get; } = monitor;

    public long PointsAtSnapshot { get; set; } = pointsAtSnapshot;

    /// <summary>Points scored since the stored snapshot: what a restart would replay.</summary>
    public long Unsaved => Monitor.ScoredPoints - PointsAtSnapshot;
}
