namespace IntentVision.Data.Migrations;

/// <summary>The migrator will not run because the database and the files disagree (drift, a missing file).</summary>
public sealed class MigrationRefusedException(string message) : Exception(message);
