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
}
