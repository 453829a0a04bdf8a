namespace IntentVision.Data.Migrations;

/// <summary>
/// What <c>verify</c> found: checksum problems against the target (drift, files gone), whether every migration applies
/// from zero on a scratch database (and where that was), and, when the target is current, how its schema differs from
/// the one the migrations build.
/// </summary>
public sealed record MigrationVerifyResult(
    MigrationStatus Status,
    string ScratchDatabase,
    string ScratchEngineVersion,
    IReadOnlyList<MigrationStepResult> ScratchSteps,
    string? ScratchFailure,
    IReadOnlyList<string> SchemaDifferences)
{
    public IReadOnlyList<string> ChecksumProblems { get; } =
    [
        .. Status.Drifted.Select(d => $"{d.Name}.sql changed after it was applied (checksum {d.AppliedChecksum?[..12]}... applied, {d.FileChecksum?[..12]}... now)"),
        .. Status.MissingFiles.Select(m => $"{m.Name} is applied but its file is gone"),
    ];

    public bool Passed => ChecksumProblems.Count == 0 && ScratchFailure is null && SchemaDifferences.Count == 0;
}
