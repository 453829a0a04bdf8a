namespace IntentVision.Data.Migrations;

/// <summary>How a migrator waits for, and holds, the migration lock.</summary>
public sealed record MigrationLockOptions
{
    /// <summary>How long to wait for another run to finish before giving up with <see cref="MigrationLockTimeoutException"/>.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a lock stays valid without renewal. The holder renews it before every migration, but cannot while a
    /// migration's transaction holds the database's write lock, so this must exceed the longest single migration.
    /// A holder on this machine whose process is gone is detected at once; one elsewhere only by expiry.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Called once when a run starts waiting for another holder (the CLI prints it).</summary>
    public Action<MigrationLockHolder>? Waiting { get; init; }
}
