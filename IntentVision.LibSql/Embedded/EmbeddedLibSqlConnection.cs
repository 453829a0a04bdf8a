using Microsoft.Data.Sqlite;

namespace IntentVision.LibSql.Embedded;

/// <summary>
/// A connection to a local libSQL (SQLite-format) file. Every open applies the per-connection settings that
/// libSQL servers use by default, so code behaves the same on the file as on sqld: foreign keys enforced and a
/// busy timeout instead of an immediate SQLITE_BUSY.
/// </summary>
internal sealed class EmbeddedLibSqlConnection : SqliteConnection
{
    private readonly EmbeddedFileSettings _settings;

    public EmbeddedLibSqlConnection(string connectionString, EmbeddedFileSettings settings)
        : base(connectionString)
    {
        _settings = settings;
    }

    public override void Open()
    {
        base.Open();
        using var command = CreateCommand();
        // journal_mode is persistent in the file, but setting it is cheap and keeps a file made by another tool in WAL.
        command.CommandText =
            $"PRAGMA busy_timeout = {(int)_settings.BusyTimeout.TotalMilliseconds}; " +
            "PRAGMA foreign_keys = ON; " +
            "PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
        _settings.EnsureWriteAheadLog(this);
    }

    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Open();
        return Task.CompletedTask;
    }
}
