using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntentVision.LibSql.Embedded;

/// <summary>
/// Per-data-source state of a file database: the pooled Microsoft.Data.Sqlite connection string, the settings every
/// opened handle gets (so code behaves on the file as on sqld: foreign keys enforced, a busy timeout instead of an
/// immediate SQLITE_BUSY), and whether WAL has been switched on yet.
/// </summary>
internal sealed class EmbeddedFileSettings
{
    private readonly string _openPragmas;
    private int _walEnsured;

    public EmbeddedFileSettings(string filePath, TimeSpan busyTimeout)
    {
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        _openPragmas =
            $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds}; " +
            "PRAGMA foreign_keys = ON; " +
            "PRAGMA synchronous = NORMAL;";
    }

    public string ConnectionString { get; }

    /// <summary>Applies the per-handle settings (a pooled handle keeps them, but setting them is cheap) and WAL once.</summary>
    public void Configure(sqlite3 db)
    {
        SqliteErrors.Check(db, raw.sqlite3_exec(db, _openPragmas), "PRAGMA");

        // journal_mode is persistent in the file; switching once per data source also covers a file made by another tool.
        if (Volatile.Read(ref _walEnsured) == 0)
        {
            SqliteErrors.Check(db, raw.sqlite3_exec(db, "PRAGMA journal_mode = WAL;"), "PRAGMA journal_mode = WAL");
            Volatile.Write(ref _walEnsured, 1);
        }
    }

    /// <summary>Closes the pooled handles of this file, so it can be deleted or replaced.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
