namespace IntentVision.Api.Ingestion;

/// <summary>One point as posted: metric key, timestamp (ISO-8601 with an offset), value and optional string dimensions.</summary>
public sealed record IngestPoint(string? Metric, DateTimeOffset? Timestamp, double? Value, Dictionary<string, string?>? Dimensions);
