using IntentVision.Api.Egress;
using IntentVision.Api.Ingestion;

namespace IntentVision.Api.Alerting;

/// <summary>Checks the channels of a rule or a policy: type, destination (refused early when it is an address the egress policy denies), secret, recipients, templates.</summary>
public static class ChannelValidator
{
    public static readonly IReadOnlyList<string> Types = ["webhook", "slack", "email"];

    /// <summary>At most this many channels per rule or policy: each is a queue of its own in the dispatcher.</summary>
    public const int MaxChannels = 10;

    public const int MaxRecipients = 20;

    public static void Validate(IReadOnlyList<NotificationChannel> channels, string path, ValidationErrors errors, EgressPolicy egress, bool emailConfigured)
    {
        if (channels.Count > MaxChannels)
        {
            errors.Add(path, $"may hold at most {MaxChannels} channels");
            return;
        }

        for (var i = 0; i < channels.Count; i++)
        {
            var channel = channels[i];
            var at = $"{path}[{i}]";
            if (channel is null || channel.Type is null || !Types.Contains(channel.Type))
            {
                errors.Add($"{at}.type", $"must be one of: {string.Join(", ", Types)}");
                continue;
            }

            if (channel.Type is "webhook" or "slack")
            {
                if (channel.Url is not { Length: <= 2000 } || !Uri.TryCreate(channel.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    errors.Add($"{at}.url", "must be an absolute http(s) URL of at most 2000 characters");
                }
                else if (egress.RefusesLiteral(url))
                {
                    errors.Add($"{at}.url", "is refused by the egress policy (loopback, private, link-local and similar addresses are not reachable)");
                }
            }

            if (channel.Type == "webhook" && (channel.Secret is null || channel.Secret.Length is < 16 or > 200))
            {
                errors.Add($"{at}.secret", "is required: 16 to 200 characters, used to sign each delivery with HMAC-SHA256");
            }

            if (channel.Type == "email" && !emailConfigured)
            {
                errors.Add($"{at}.type", "email is not configured on this server (IntentVision:Email:Host)");
            }

            if (channel.Type == "email")
            {
                var to = channel.To ?? [];
                if (to.Count is 0 or > MaxRecipients || to.Any(a => a is null || a.Length > 254 || !MimeKit.MailboxAddress.TryParse(a, out _) || !a.Contains('@', StringComparison.Ordinal)))
                {
                    errors.Add($"{at}.to", $"needs 1 to {MaxRecipients} email addresses");
                }
            }

            foreach (var (name, template) in new[] { ("title", channel.Title), ("text", channel.Text) })
            {
                if (template is not null && (template.Length > 4000 || MessageTemplate.Problem(template) is not null))
                {
                    errors.Add($"{at}.{name}", template.Length > 4000 ? "must be at most 4000 characters" : MessageTemplate.Problem(template)!);
                }
            }
        }
    }
}

/// <summary>Checks grouping and timing settings.</summary>
public static class NotificationSettingsValidator
{
    private static readonly double MaxSeconds = TimeSpan.FromDays(30).TotalSeconds;

    public static void Validate(NotificationSettings? settings, string path, ValidationErrors errors)
    {
        if (settings is null)
        {
            return;
        }

        if (settings.GroupBy is { } groupBy && (groupBy.Count > 10 || groupBy.Any(l => l is null || !InputRules.DimensionKey().IsMatch(l))))
        {
            errors.Add($"{path}.groupBy", "must list at most 10 label names");
        }

        foreach (var (name, value, min) in new[] { ("groupWaitSeconds", settings.GroupWaitSeconds, 0d), ("groupIntervalSeconds", settings.GroupIntervalSeconds, 1d), ("repeatIntervalSeconds", settings.RepeatIntervalSeconds, 1d) })
        {
            if (value is { } v && (!double.IsFinite(v) || v < min || v > MaxSeconds))
            {
                errors.Add($"{path}.{name}", $"must be {min} to {MaxSeconds} seconds");
            }
        }
    }
}
