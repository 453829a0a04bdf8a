namespace IntentVision.LibSql;

/// <summary>Tunables of a <see cref="LibSqlDataSource"/>; the defaults suit a web service.</summary>
public sealed record LibSqlDataSourceOptions
{
    /// <summary>How long a statement waits for a lock held by another writer before failing with SQLITE_BUSY.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Default timeout of one command (one HTTP request on a server).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
