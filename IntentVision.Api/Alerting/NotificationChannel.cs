namespace IntentVision.Api.Alerting;

/// <summary>Where an alert is sent. Only <c>webhook</c>: an HTTP POST signed with HMAC-SHA256 using <see cref="Secret"/>.</summary>
public sealed record NotificationChannel(string? Type, string? Url, string? Secret);
