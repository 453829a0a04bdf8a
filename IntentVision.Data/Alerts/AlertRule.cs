namespace IntentVision.Data.Alerts;

/// <summary>
/// An alert rule as stored. <see cref="Config"/>, <see cref="Channels"/> and <see cref="Suppression"/> are JSON
/// whose shape the API owns and validates; the repository keeps them as text.
/// </summary>
public sealed record AlertRule(
    long Id,
    string OrganizationId,
    string Name,
    string Kind,
    string MetricKey,
    IReadOnlyDictionary<string, string> DimensionFilter,
    string Config,
    string Channels,
    string Suppression,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
