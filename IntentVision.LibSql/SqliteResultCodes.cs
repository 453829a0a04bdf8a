using System.Collections.Frozen;

namespace IntentVision.LibSql;

/// <summary>
/// SQLite's result codes by the names libSQL servers use for them in Hrana errors (<c>SQLITE_BUSY</c>,
/// <c>SQLITE_CONSTRAINT_UNIQUE</c>, ...), so an error reads the same whether the file or the server raised it.
/// The low byte of an extended code is its primary code (sqlite.org/rescode.html).
/// </summary>
internal static class SqliteResultCodes
{
    private static readonly FrozenDictionary<int, string> Names = new Dictionary<int, string>
    {
        [1] = "SQLITE_ERROR",
        [2] = "SQLITE_INTERNAL",
        [3] = "SQLITE_PERM",
        [4] = "SQLITE_ABORT",
        [5] = "SQLITE_BUSY",
        [6] = "SQLITE_LOCKED",
        [7] = "SQLITE_NOMEM",
        [8] = "SQLITE_READONLY",
        [9] = "SQLITE_INTERRUPT",
        [10] = "SQLITE_IOERR",
        [11] = "SQLITE_CORRUPT",
        [12] = "SQLITE_NOTFOUND",
        [13] = "SQLITE_FULL",
        [14] = "SQLITE_CANTOPEN",
        [15] = "SQLITE_PROTOCOL",
        [16] = "SQLITE_EMPTY",
        [17] = "SQLITE_SCHEMA",
        [18] = "SQLITE_TOOBIG",
        [19] = "SQLITE_CONSTRAINT",
        [20] = "SQLITE_MISMATCH",
        [21] = "SQLITE_MISUSE",
        [22] = "SQLITE_NOLFS",
        [23] = "SQLITE_AUTH",
        [24] = "SQLITE_FORMAT",
        [25] = "SQLITE_RANGE",
        [26] = "SQLITE_NOTADB",
        [27] = "SQLITE_NOTICE",
        [28] = "SQLITE_WARNING",
        [261] = "SQLITE_BUSY_RECOVERY",
        [517] = "SQLITE_BUSY_SNAPSHOT",
        [773] = "SQLITE_BUSY_TIMEOUT",
        [262] = "SQLITE_LOCKED_SHAREDCACHE",
        [264] = "SQLITE_READONLY_RECOVERY",
        [520] = "SQLITE_READONLY_CANTLOCK",
        [776] = "SQLITE_READONLY_ROLLBACK",
        [1032] = "SQLITE_READONLY_DBMOVED",
        [1288] = "SQLITE_READONLY_CANTINIT",
        [1544] = "SQLITE_READONLY_DIRECTORY",
        [266] = "SQLITE_IOERR_READ",
        [522] = "SQLITE_IOERR_SHORT_READ",
        [778] = "SQLITE_IOERR_WRITE",
        [1034] = "SQLITE_IOERR_FSYNC",
        [1290] = "SQLITE_IOERR_DIR_FSYNC",
        [1546] = "SQLITE_IOERR_TRUNCATE",
        [1802] = "SQLITE_IOERR_FSTAT",
        [2058] = "SQLITE_IOERR_UNLOCK",
        [2314] = "SQLITE_IOERR_RDLOCK",
        [2570] = "SQLITE_IOERR_DELETE",
        [3082] = "SQLITE_IOERR_NOMEM",
        [3338] = "SQLITE_IOERR_ACCESS",
        [3850] = "SQLITE_IOERR_LOCK",
        [4106] = "SQLITE_IOERR_CLOSE",
        [4618] = "SQLITE_IOERR_SHMOPEN",
        [4874] = "SQLITE_IOERR_SHMSIZE",
        [5130] = "SQLITE_IOERR_SHMLOCK",
        [5386] = "SQLITE_IOERR_SHMMAP",
        [5642] = "SQLITE_IOERR_SEEK",
        [5898] = "SQLITE_IOERR_DELETE_NOENT",
        [6154] = "SQLITE_IOERR_MMAP",
        [267] = "SQLITE_CORRUPT_VTAB",
        [270] = "SQLITE_CANTOPEN_NOTEMPDIR",
        [526] = "SQLITE_CANTOPEN_ISDIR",
        [782] = "SQLITE_CANTOPEN_FULLPATH",
        [275] = "SQLITE_CONSTRAINT_CHECK",
        [531] = "SQLITE_CONSTRAINT_COMMITHOOK",
        [787] = "SQLITE_CONSTRAINT_FOREIGNKEY",
        [1043] = "SQLITE_CONSTRAINT_FUNCTION",
        [1299] = "SQLITE_CONSTRAINT_NOTNULL",
        [1555] = "SQLITE_CONSTRAINT_PRIMARYKEY",
        [1811] = "SQLITE_CONSTRAINT_TRIGGER",
        [2067] = "SQLITE_CONSTRAINT_UNIQUE",
        [2323] = "SQLITE_CONSTRAINT_VTAB",
        [2579] = "SQLITE_CONSTRAINT_ROWID",
        [3091] = "SQLITE_CONSTRAINT_DATATYPE",
        [516] = "SQLITE_ABORT_ROLLBACK",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, int> Codes = Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The name of an extended or primary code; an unknown extended code falls back to its primary name.</summary>
    public static string NameOf(int code) =>
        Names.TryGetValue(code, out var name) ? name
        : Names.TryGetValue(code & 0xff, out var primary) ? primary
        : $"SQLITE_{code}";

    /// <summary>The code of a name, when it is one of SQLite's (servers also send their own codes, such as <c>STREAM_EXPIRED</c>).</summary>
    public static int? CodeOf(string? name) => name is not null && Codes.TryGetValue(name, out var code) ? code : null;

    /// <summary>
    /// The extended code of a server error. sqld sends only the primary name for a constraint failure; the message,
    /// which is SQLite's own text, tells which constraint, so the code reads as the file's would.
    /// </summary>
    public static int? RefineServerCode(string? name, string message)
    {
        var code = CodeOf(name);
        if (code != 19)
        {
            return code;
        }

        return message switch
        {
            _ when message.Contains("UNIQUE constraint failed", StringComparison.Ordinal) => 2067,
            _ when message.Contains("NOT NULL constraint failed", StringComparison.Ordinal) => 1299,
            _ when message.Contains("CHECK constraint failed", StringComparison.Ordinal) => 275,
            _ when message.Contains("FOREIGN KEY constraint failed", StringComparison.Ordinal) => 787,
            _ => code,
        };
    }
}
