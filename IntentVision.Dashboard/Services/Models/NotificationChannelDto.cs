namespace IntentVision.Dashboard.Services;

/// <summary>A channel as the API shows it: the secret never comes back, only whether there is one.</summary>
public sealed record NotificationChannelDto(string Type, string Url, bool HasSecret);
