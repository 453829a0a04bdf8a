using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntentVision.LibSql.Embedded;

/// <summary>Turns SQLite's failures on the file into the same <see cref="LibSqlException"/> a server's failures become.</summary>
internal static class SqliteErrors
{
    public static void Check(sqlite3 db, int rc, string? statement)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            throw From(db, rc, statement);
        }
    }

    /// <summary>The failure just reported on <paramref name="db"/>; read it before the next call on the handle replaces it.</summary>
    public static LibSqlException From(sqlite3 db, int rc, string? statement)
    {
        var extended = raw.sqlite3_extended_errcode(db);
        if ((extended & 0xff) != (rc & 0xff))
        {
            // The handle's error is from another call; the step's own code is what failed.
            extended = rc;
        }

        var message = raw.sqlite3_errmsg(db).utf8_to_string() ?? raw.sqlite3_errstr(rc).utf8_to_string() ?? "unknown error";
        return LibSqlException.FromEngine($"SQLite error: {message}", extended, statement);
    }

    /// <summary>A failure Microsoft.Data.Sqlite raised (opening the file), with the same code a statement would carry.</summary>
    public static LibSqlException From(SqliteException e, string? statement) =>
        LibSqlException.FromEngine($"SQLite error: {e.Message}", e.SqliteExtendedErrorCode != 0 ? e.SqliteExtendedErrorCode : e.SqliteErrorCode, statement, e);
}
