namespace IntentVision.Api.Ingestion;

/// <summary>Either the stored result or the validation errors that stopped the batch.</summary>
public sealed record IngestOutcome(IngestResponse? Response, ValidationErrors? Errors);
