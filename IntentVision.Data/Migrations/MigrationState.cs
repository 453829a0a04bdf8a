namespace IntentVision.Data.Migrations;

public enum MigrationState
{
    /// <summary>Applied, and the file still has the checksum it had then.</summary>
    Applied,

    /// <summary>In the catalog, not applied yet.</summary>
    Pending,

    /// <summary>Applied, but the file has changed since (checksum mismatch).</summary>
    Drifted,

    /// <summary>Recorded as applied, but no file has that version any more.</summary>
    MissingFile,
}
