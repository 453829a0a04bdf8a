namespace IntentVision.Dashboard.Services;

/// <summary>An ingestion source with its last sync and last error; a webhook source's secret is never listed.</summary>
public sealed record SourceDto(
    long Id,
    string Name,
    string Type,
    string? Url,
    int? IntervalSeconds,
    bool Enabled,
    DateTimeOffset? LastSyncAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    string? PushPath,
    DateTimeOffset? LastAttemptAt = null,
    DateTimeOffset? LastSuccessAt = null);
