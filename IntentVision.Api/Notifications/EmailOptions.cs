namespace IntentVision.Api.Notifications;

/// <summary>
/// Configuration <c>IntentVision:Email</c>: the SMTP server email channels send through (the operator's, never a
/// tenant's). Its connection goes through the egress policy like every other: allow-list a private relay.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "IntentVision:Email";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>none, starttls (required), starttls_when_available or tls (implicit TLS, usually port 465).</summary>
    public string Security { get; set; } = "starttls_when_available";

    public string From { get; set; } = "IntentVision <alerts@intentvision.invalid>";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}
