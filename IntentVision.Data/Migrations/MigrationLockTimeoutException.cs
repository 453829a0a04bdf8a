namespace IntentVision.Data.Migrations;

/// <summary>Another run held the migration lock for longer than this run was willing to wait. Nothing was applied.</summary>
public sealed class MigrationLockTimeoutException(MigrationLockHolder holder, TimeSpan waited)
    : Exception($"Another migrator run holds the lock: {holder}. Waited {waited.TotalSeconds:0} s; nothing was applied. " +
                "Run again when it has finished; a lock whose holder died expires at the end of its lease.")
{
    public MigrationLockHolder Holder { get; } = holder;
}
