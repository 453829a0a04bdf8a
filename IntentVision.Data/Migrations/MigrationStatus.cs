namespace IntentVision.Data.Migrations;

/// <summary>The schema's state: every migration known to the catalog or the database, in version order.</summary>
public sealed record MigrationStatus(IReadOnlyList<MigrationStatusEntry> Entries, string Source)
{
    public IEnumerable<MigrationStatusEntry> Applied => Entries.Where(e => e.State is MigrationState.Applied or MigrationState.Drifted);

    public IEnumerable<MigrationStatusEntry> Pending => Entries.Where(e => e.State == MigrationState.Pending);

    public IEnumerable<MigrationStatusEntry> Drifted => Entries.Where(e => e.State == MigrationState.Drifted);

    public IEnumerable<MigrationStatusEntry> MissingFiles => Entries.Where(e => e.State == MigrationState.MissingFile);

    /// <summary>True when nothing is pending and nothing has drifted or lost its file.</summary>
    public bool IsCurrent => Entries.All(e => e.State == MigrationState.Applied);

    public DateTimeOffset? LastAppliedAt => Applied.Select(e => e.AppliedAt).Max();

    /// <summary>The newest applied migration, i.e. the last one a run applied.</summary>
    public MigrationStatusEntry? LastApplied => Applied.MaxBy(e => e.AppliedAt);

    /// <summary>Time spent applying everything that is applied.</summary>
    public double TotalDurationMs => Applied.Sum(e => e.DurationMs ?? 0);

    /// <summary>The run holding the migration lock right now, if any (a run in progress, or a dead one whose lease has not expired).</summary>
    public MigrationLockHolder? Lock { get; init; }
}
