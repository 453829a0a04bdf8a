namespace IntentVision.Api.Ingestion;

/// <summary>A batch of points for one organization. Fields are nullable so that a missing one is reported by name.</summary>
public sealed record IngestRequest(IReadOnlyList<IngestPoint?>? Points);

public sealed record IngestPoint(string? Metric, DateTimeOffset? Timestamp, double? Value, Dictionary<string, string?>? Dimensions);

public sealed record IngestResponse(int Accepted, int Inserted, int Updated, IReadOnlyList<long> SeriesIds);
