namespace IntentVision.Data.Metrics;

/// <summary>What an ingest did: new points, points whose value was replaced, and the series they belong to.</summary>
public sealed record IngestResult(int Accepted, int Inserted, int Updated, IReadOnlyList<long> SeriesIds);
