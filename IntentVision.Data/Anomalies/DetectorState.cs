namespace IntentVision.Data.Anomalies;

/// <summary>
/// A series' detection state as stored: the newest timestamp scored and how many points were, and the latest full
/// snapshot (format <see cref="Version"/>; all three null without one) with the newest timestamp it includes.
/// Timestamps are epoch milliseconds.
/// </summary>
public sealed record DetectorState(long SeriesId, long? LastScoredTs, long ScoredPoints, byte[]? Snapshot, long? SnapshotTs, int? Version);

/// <summary>Where a series' detection stands after a transaction: written with every batch it scored.</summary>
public sealed record DetectorProgress(long SeriesId, long LastScoredTs, long ScoredPoints);

/// <summary>A full snapshot of a series' detection state as of <see cref="SnapshotTs"/> (epoch milliseconds).</summary>
public sealed record DetectorSnapshot(long SeriesId, long SnapshotTs, byte[] Snapshot);

/// <summary>
/// What detection reads to take up a series: its stored state (null if never scored), the value and context of each of its
/// anomalies marked "not an anomaly", and its warm-start points (oldest first; empty once it has been scored).
/// </summary>
public sealed record DetectorLoad(DetectorState? State, IReadOnlyList<(double Value, string Context)> MarkedNormal, IReadOnlyList<(long Ts, double Value)> WarmStart);
