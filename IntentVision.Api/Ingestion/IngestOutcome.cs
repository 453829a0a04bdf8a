namespace IntentVision.Api.Ingestion;

/// <summary>The stored result, the validation errors that stopped the batch, or why a guard refused it (a replay).</summary>
public sealed record IngestOutcome(IngestResponse? Response, ValidationErrors? Errors, IngestRefusal? Refused = null);
