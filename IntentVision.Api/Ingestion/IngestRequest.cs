namespace IntentVision.Api.Ingestion;

/// <summary>A batch of points for one organization. Fields are nullable so that a missing one is reported by name.</summary>
public sealed record IngestRequest(IReadOnlyList<IngestPoint?>? Points);
