namespace IntentVision.Dashboard.Services;

/// <summary>One migration. State is Applied, Pending, Drifted (file changed after it was applied) or MissingFile.</summary>
public sealed record MigrationEntryDto(
    int Version,
    string Name,
    string State,
    DateTimeOffset? AppliedAt,
    double? DurationMs,
    string? AppliedChecksum,
    string? FileChecksum,
    bool HasDownScript);
