namespace IntentVision.Api.Alerting;

/// <summary>A channel as the API shows it: the secret is never returned.</summary>
public sealed record NotificationChannelView(string Type, string Url, bool HasSecret);
