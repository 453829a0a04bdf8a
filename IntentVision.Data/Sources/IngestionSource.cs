namespace IntentVision.Data.Sources;

/// <summary>
/// Where points come from besides direct API calls. <see cref="Config"/> is JSON owned by the API (a Prometheus
/// URL, a webhook's signing secret); it may hold secrets and is never returned as is. <see cref="LastSyncAt"/> is the
/// last attempt (scrape or push), <see cref="LastSuccessAt"/> the last one that worked.
/// </summary>
public sealed record IngestionSource(
    long Id,
    string OrganizationId,
    string Name,
    string Type,
    string Config,
    int? IntervalSeconds,
    bool Enabled,
    DateTimeOffset? LastSyncAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSuccessAt = null);
