using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntentVision.LibSql.Embedded;

/// <summary>
/// Per-data-source state of a file database: the pooled Microsoft.Data.Sqlite connection string, the settings every
/// opened handle gets (so code behaves on the file as on sqld: foreign keys enforced, a busy timeout instead of an
/// immediate SQLITE_BUSY), whether WAL has been switched on yet, and a keeper handle.
/// </summary>
/// <remarks>
/// The keeper is one handle outside the pool, open for the data source's life. SQLite deletes the <c>-wal</c> and
/// <c>-shm</c> files when the last handle of a process closes, and the next handle creates them anew with the database
/// file's permissions of that moment. Without the keeper, clearing the pool while the file is read-only (which the
/// service does to make every write refuse alike) would recreate them read-only, and the database would stay unwritable
/// after the file's permissions were restored; with it they live on with the permissions they were made with, and
/// writes recover as soon as the file is writable again.
/// </remarks>
internal sealed class EmbeddedFileSettings : IDisposable
{
    private readonly string _openPragmas;
    private readonly string _busyTimeoutPragma;
    private readonly Lock _keeperLock = new();
    private SqliteConnection? _keeper;
    private int _walEnsured;

    public EmbeddedFileSettings(string filePath, TimeSpan busyTimeout, int pageCacheKib = 0)
    {
        FilePath = filePath;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        _busyTimeoutPragma = $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds};";
        _openPragmas =
            _busyTimeoutPragma + " " +
            "PRAGMA foreign_keys = ON; " +
            "PRAGMA synchronous = NORMAL;" +
            (pageCacheKib > 0 ? $" PRAGMA cache_size = -{pageCacheKib};" : string.Empty);
    }

    public string ConnectionString { get; }

    public string FilePath { get; }

    /// <summary>Applies the per-handle settings (a pooled handle keeps them, but setting them is cheap) and WAL once.</summary>
    public void Configure(sqlite3 db)
    {
        SqliteErrors.Check(db, raw.sqlite3_exec(db, _openPragmas), "PRAGMA");

        // journal_mode is persistent in the file; switching once per data source also covers a file made by another tool.
        if (Volatile.Read(ref _walEnsured) == 0)
        {
            SqliteErrors.Check(db, raw.sqlite3_exec(db, "PRAGMA journal_mode = WAL;"), "PRAGMA journal_mode = WAL");
            OpenKeeper();
            Volatile.Write(ref _walEnsured, 1);
        }
    }

    public void Dispose()
    {
        lock (_keeperLock)
        {
            _keeper?.Dispose();
            _keeper = null;
        }
    }

    private void OpenKeeper()
    {
        lock (_keeperLock)
        {
            if (_keeper is not null)
            {
                return;
            }

            // One read maps the WAL index: from then on this handle holds its shared lock, so no other handle of the
            // process is ever the last one that deletes -wal and -shm.
            var keeper = new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
            keeper.Open();

            // Its read waits like any handle's: another process may hold the file's lock a moment (a second migrator
            // creating the schema at the same time), which without a busy timeout fails at once with SQLITE_BUSY.
            SqliteErrors.Check(keeper.Handle!, raw.sqlite3_exec(keeper.Handle!, _busyTimeoutPragma), "PRAGMA busy_timeout");
            SqliteErrors.Check(keeper.Handle!, raw.sqlite3_exec(keeper.Handle!, "SELECT count(*) FROM sqlite_schema;"), "SELECT count(*) FROM sqlite_schema");
            _keeper = keeper;
        }
    }

    /// <summary>
    /// Whether a connection opened now could write the file, as the operating system judges this process (its user and
    /// capabilities): <c>access(path, W_OK)</c>. Handles opened before keep writing through their old descriptors, and
    /// SQLite even reuses such descriptors for new handles, so neither tells the truth a restarted process would meet.
    /// The file is never opened here: closing a descriptor of it would drop the POSIX locks SQLite holds on it.
    /// </summary>
    public bool OpensWritable() => !OperatingSystem.IsLinux() || !File.Exists(FilePath) || FileAccessCheck.CanWrite(FilePath);

    /// <summary>Closes the pooled handles of this file, so it can be deleted or replaced.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
