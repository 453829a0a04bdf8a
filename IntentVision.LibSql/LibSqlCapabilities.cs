namespace IntentVision.LibSql;

/// <summary>
/// What a libSQL database can do where a local file and a server differ. Code that must behave differently asks
/// these, never which connection type it holds: there is one.
/// </summary>
/// <param name="InProcess">Statements run inside this process (a file): reading a row costs no network, so folding rows in
/// code is cheap; on a server every row read is a row sent, so let the database fold.</param>
/// <param name="BusyTimeoutPragma"><c>PRAGMA busy_timeout</c> is accepted (sqld refuses it and handles waiting itself).</param>
/// <param name="Vacuum"><c>VACUUM</c> is accepted.</param>
/// <param name="Attach"><c>ATTACH DATABASE</c> is accepted.</param>
/// <param name="TemporaryTables"><c>CREATE TEMP TABLE</c> is accepted.</param>
public sealed record LibSqlCapabilities(bool InProcess, bool BusyTimeoutPragma, bool Vacuum, bool Attach, bool TemporaryTables)
{
    /// <summary>A local SQLite-format file: everything SQLite does.</summary>
    public static LibSqlCapabilities EmbeddedFile { get; } = new(InProcess: true, BusyTimeoutPragma: true, Vacuum: true, Attach: true, TemporaryTables: true);

    /// <summary>sqld or Turso over Hrana: no busy_timeout, VACUUM, ATTACH or temporary tables.</summary>
    public static LibSqlCapabilities Remote { get; } = new(InProcess: false, BusyTimeoutPragma: false, Vacuum: false, Attach: false, TemporaryTables: false);
}
