using IntentVision.Api.Ingestion;

namespace IntentVision.Api.Sources;

/// <summary>One scrape read: its samples as points, and each sample name's declared type and help.</summary>
public sealed record PrometheusExposition(List<IngestPoint?> Points, IReadOnlyDictionary<string, (string Type, string? Help)> SampleTypes);
