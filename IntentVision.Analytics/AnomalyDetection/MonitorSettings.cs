namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// What a <see cref="SeriesAnomalyMonitor"/> stores, on top of how its detector scores. One set serves every series.
/// </summary>
public sealed record MonitorSettings
{
    public static MonitorSettings Default { get; } = new();

    /// <summary>How points are scored.</summary>
    public AnomalyDetectorOptions Detector { get; init; } = AnomalyDetectorOptions.Default;

    /// <summary>
    /// Scored points of a series before anything is stored: the detector's range, contexts and scales are still
    /// forming. 100 stays inside NAB's probation on its shortest files (15% of 1,127 rows) and is about 8 hours of
    /// 5-minute data.
    /// </summary>
    public int WarmUpPoints { get; init; } = 100;

    /// <summary>The least score stored as an anomaly (0.5: the detector finds the point more likely anomalous than not).</summary>
    public double StoreThreshold { get; init; } = 0.5;

    /// <summary>
    /// Points after a stored anomaly that belong to its incident: a detection in them with no higher score and the same
    /// <see cref="AnomalyPattern"/> is not stored again, so one level shift or burst is one anomaly rather than one per
    /// point, while stronger or different evidence still is.
    /// </summary>
    public int IncidentLength { get; init; } = 50;

    /// <summary>Throws <see cref="ArgumentException"/> naming the settings when any is out of its range.</summary>
    public void Validate()
    {
        Detector.Validate();
        if (WarmUpPoints < 0 || !(StoreThreshold is > 0 and <= 1) || IncidentLength < 0)
        {
            throw new ArgumentException($"invalid monitor settings: {this}.");
        }
    }
}
