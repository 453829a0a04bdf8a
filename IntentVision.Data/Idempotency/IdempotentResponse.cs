namespace IntentVision.Data.Idempotency;

/// <summary>The answer given to the first request with an idempotency key, replayed to its retries.</summary>
public sealed record IdempotentResponse(string RequestHash, int StatusCode, string ResponseBody, DateTimeOffset CreatedAt);
