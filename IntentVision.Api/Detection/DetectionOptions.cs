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
    /// snapshot is 50 to 150 KB written in the ingest transaction, so a small value costs ingest throughput. The first write
    /// to a series never scored but with stored history (restored, bulk-loaded) replays its latest this many points: for
    /// 50,000, about 30 ms on a file and 150 ms on sqld (reading them), once in the series' life.
    /// </summary>
    public int SnapshotEvery { get; set; } = 50_000;
}
