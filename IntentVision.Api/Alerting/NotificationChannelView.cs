namespace IntentVision.Api.Alerting;

/// <summary>A channel as the API shows it: the secret is never returned, and a Slack URL (which is itself a credential) only by its host.</summary>
/// <param name="Url">Where it goes, as <see cref="ChannelTarget.Describe"/> shows it (kept under this name for older clients).</param>
public sealed record NotificationChannelView(string Type, string Url, bool HasSecret, string? Title, string? Text, IReadOnlyList<string>? To)
{
    public static NotificationChannelView From(NotificationChannel c) =>
        new(c.Type ?? "webhook", ChannelTarget.Describe(c), !string.IsNullOrEmpty(c.Secret), c.Title, c.Text, c.To);
}

/// <summary>What a notification's history says a channel is: never a secret.</summary>
public static class ChannelTarget
{
    public static string Describe(NotificationChannel c) => c.Type switch
    {
        "email" => string.Join(", ", c.To ?? []),
        "slack" => Uri.TryCreate(c.Url, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Authority}/…" : string.Empty,
        _ => c.Url ?? string.Empty,
    };
}
