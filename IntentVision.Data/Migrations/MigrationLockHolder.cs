namespace IntentVision.Data.Migrations;

/// <summary>The row of <c>_migrations_lock</c>: which process holds the migration lock, since when, and until when unless renewed.</summary>
public sealed record MigrationLockHolder(string Holder, string Host, int ProcessId, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"{Holder} (host {Host}, pid {ProcessId}) since {AcquiredAt:yyyy-MM-dd HH:mm:ss'Z'}, lease until {ExpiresAt:HH:mm:ss'Z'}";
}
