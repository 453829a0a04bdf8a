namespace IntentVision.Data.Alerts;

/// <summary>
/// Routes alerts whose labels match <see cref="Matchers"/> to <see cref="Channels"/>, grouped and timed by
/// <see cref="Notification"/>; policies are tried by <see cref="Position"/> and the first match wins unless it
/// says <see cref="ContinueMatching"/>. The JSON parts are owned by the API.
/// </summary>
public sealed record NotificationPolicy(
    long Id,
    string OrganizationId,
    string Name,
    int Position,
    string Matchers,
    string Channels,
    string Notification,
    bool ContinueMatching,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The writable part of a policy, already validated.</summary>
public sealed record NotificationPolicyDefinition(string Name, int Position, string Matchers, string Channels, string Notification, bool ContinueMatching, bool Enabled);
