namespace IntentVision.Dashboard.Services;

public sealed record NotificationChannelRequest(string Type, string Url, string Secret);
