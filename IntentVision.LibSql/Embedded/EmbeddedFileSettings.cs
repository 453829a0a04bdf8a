using IntentVision.LibSql.Telemetry;
using Microsoft.Data.Sqlite;

namespace IntentVision.LibSql.Embedded;

/// <summary>Per-data-source state for a file database: its busy timeout, and whether WAL has been switched on yet.</summary>
internal sealed class EmbeddedFileSettings
{
    private int _walEnsured;

    public EmbeddedFileSettings(TimeSpan busyTimeout, LibSqlInstrumentation instrumentation)
    {
        BusyTimeout = busyTimeout;
        Instrumentation = instrumentation;
    }

    public TimeSpan BusyTimeout { get; }

    public LibSqlInstrumentation Instrumentation { get; }

    /// <summary>Switches the file to WAL once per data source; the mode then sticks to the file.</summary>
    public void EnsureWriteAheadLog(SqliteConnection connection)
    {
        if (Volatile.Read(ref _walEnsured) == 1)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        command.ExecuteScalar();
        Volatile.Write(ref _walEnsured, 1);
    }
}
