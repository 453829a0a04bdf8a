namespace IntentVision.Api.Sources;

/// <summary>The JSON kept in <c>ingestion_sources.config</c>: the URL a Prometheus source scrapes, the secret a webhook source verifies.</summary>
public sealed record SourceConfig(string? Url = null, string? Secret = null);
