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

    /// <summary>Scored points between full snapshots of a series' state; a restart replays at most this many stored points.</summary>
    public int SnapshotEvery { get; set; } = 10_000;
}
