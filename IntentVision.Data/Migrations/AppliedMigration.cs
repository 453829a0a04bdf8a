namespace IntentVision.Data.Migrations;

/// <summary>A row of <c>_migrations</c>: what was applied, when, with which checksum, how long it took.</summary>
public sealed record AppliedMigration(int Version, string Name, string Checksum, DateTimeOffset AppliedAt, double DurationMs);
