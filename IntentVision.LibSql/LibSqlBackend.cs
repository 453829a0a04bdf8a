namespace IntentVision.LibSql;

/// <summary>Where a libSQL database lives, which decides how a connection talks to it.</summary>
public enum LibSqlBackend
{
    /// <summary>A local SQLite-format file opened in-process (<c>file:</c> URLs).</summary>
    EmbeddedFile,

    /// <summary>A libsql-server (sqld) or Turso database reached with Hrana over HTTP.</summary>
    Remote,
}
