namespace IntentVision.Data.Migrations;

/// <summary>What a run did (or, for a dry run, would do), in order.</summary>
public sealed record MigrationRunResult(IReadOnlyList<MigrationStepResult> Steps, bool DryRun)
{
    public int AppliedCount => Steps.Count(s => s.Outcome == MigrationStepOutcome.Applied);
}

public sealed record MigrationStepResult(int Version, string Name, MigrationStepOutcome Outcome, double DurationMs, int StatementCount);

public enum MigrationStepOutcome
{
    Applied,

    /// <summary>Another migrator applied it between our status read and our transaction.</summary>
    AppliedConcurrently,

    /// <summary>Dry run: would be applied.</summary>
    Planned,
}
