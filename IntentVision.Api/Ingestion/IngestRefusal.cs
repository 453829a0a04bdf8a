using IntentVision.Data.Idempotency;

namespace IntentVision.Api.Ingestion;

/// <summary>
/// Why an ingest wrote nothing although its batch was valid: its idempotency key was answered before (<see cref="Earlier"/>
/// holds that answer), or its signed push was accepted before (<see cref="Replayed"/>).
/// </summary>
public sealed record IngestRefusal(IdempotentResponse? Earlier, bool Replayed = false);
