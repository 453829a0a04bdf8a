namespace IntentVision.Dashboard.Services;

/// <summary>The schema as the API sees it. <see cref="EngineVersion"/> is shown when the API reports it.</summary>
public sealed record MigrationStateDto(
    string DatabaseUrl,
    string Backend,
    bool IsCurrent,
    DateTimeOffset? LastAppliedAt,
    List<MigrationEntryDto> Applied,
    List<MigrationEntryDto> Pending,
    List<MigrationEntryDto> Problems,
    string? EngineVersion = null);
