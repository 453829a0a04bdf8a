namespace IntentVision.Data.Migrations;

/// <summary>One migration's state: the catalog's view and the database's view side by side.</summary>
public sealed record MigrationStatusEntry(
    int Version,
    string Name,
    MigrationState State,
    DateTimeOffset? AppliedAt,
    double? DurationMs,
    string? AppliedChecksum,
    string? FileChecksum,
    bool HasDownScript);
