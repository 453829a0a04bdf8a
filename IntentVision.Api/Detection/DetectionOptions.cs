namespace IntentVision.Api.Detection;

/// <summary>Configuration <c>IntentVision:Jobs:Detection</c>: anomaly detection on the ingest write path.</summary>
public sealed class DetectionOptions
{
    /// <summary>Off: points are stored and nothing is scored (the ingest benchmark's reference).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Series whose detector state stays in memory (least recently written first out; an evicted state is saved and
    /// reloaded on its next write). A state is roughly 0.3 to 2 MB.
    /// </summary>
    public int MaxSeriesInMemory { get; set; } = 1000;

    /// <summary>
    /// Scored points between full snapshots of a series' state (one is also written at shutdown and on eviction); a
    /// restart after a crash replays at most this many stored points per series (about 50 ms of CPU for 50,000). A
    /// snapshot is 50 to 150 KB written in the ingest transaction, so a small value costs ingest throughput.
    /// </summary>
    public int SnapshotEvery { get; set; } = 50_000;

    /// <summary>
    /// Stored points replayed to warm the detector of a series detection has never scored but that has history (restored
    /// from a dump, bulk-loaded, or written while detection was off): its latest this many points before the first scored
    /// one, in that first write's transaction, once in the series' life. 8,192 fills every window of the detector (its
    /// longest, the value history, holds 8,192 points); more only teaches the contextual detector older patterns, at about
    /// 0.6 ms a 1,000 points on a file and 3 ms on sqld, paid by the ingest writer while it holds the group.
    /// </summary>
    public int WarmStartPoints { get; set; } = 8_192;
}
