namespace IntentVision.Api.Alerting;

/// <summary>How a delivery ended after all its attempts.</summary>
public sealed record WebhookDeliveryResult(int Attempts, bool Succeeded, int? StatusCode, string? Error);
