namespace IntentVision.Aspire.LibSql;

/// <summary>
/// Settings of the libSQL client integration, read from the <c>Aspire:LibSql:Client</c> configuration section
/// (<c>Aspire:LibSql:Client:&lt;name&gt;</c> for a keyed data source). The connection string
/// <c>ConnectionStrings:&lt;name&gt;</c> overrides <see cref="ConnectionString"/>; the delegate given to
/// <c>AddLibSqlDataSource</c> runs last and overrides both.
/// </summary>
public sealed class LibSqlClientSettings
{
    /// <summary>
    /// The database: a URL (<c>file:db/app.db</c>, <c>http://127.0.0.1:8080</c>, <c>libsql://db-org.turso.io</c>) or
    /// keywords (<c>Data Source=&lt;url&gt;;Auth Token=&lt;token&gt;</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The sqld or Turso token, used when the connection string carries none (a token inside it wins).</summary>
    public string? AuthToken { get; set; }

    /// <summary>Leaves out the health check (a <c>SELECT 1</c> through the data source: a real Hrana request on a server).</summary>
    public bool DisableHealthChecks { get; set; }

    /// <summary>How long the health check may take before it reports unhealthy; the health check service's default when null.</summary>
    public TimeSpan? HealthCheckTimeout { get; set; }

    /// <summary>Leaves out the OpenTelemetry tracing of commands (source <c>IntentVision.LibSql</c>).</summary>
    public bool DisableTracing { get; set; }

    /// <summary>Leaves out the OpenTelemetry metrics of commands (meter <c>IntentVision.LibSql</c>).</summary>
    public bool DisableMetrics { get; set; }

    /// <summary>Default timeout of one command; the provider's default (30 s) when null.</summary>
    public TimeSpan? CommandTimeout { get; set; }

    /// <summary>How long a write waits for another writer's lock before SQLITE_BUSY; the provider's default (5 s) when null.</summary>
    public TimeSpan? BusyTimeout { get; set; }

    /// <summary>On a file: the most each pooled handle keeps in SQLite's page cache, in KiB; the provider's default (32 MiB) when null, SQLite's own (2 MB) at 0.</summary>
    public int? PageCacheKib { get; set; }

    /// <summary>On a server: how many streams stay open between commands for the next one to reuse; the provider's default (8) when null, none at 0.</summary>
    public int? IdleStreams { get; set; }

    /// <summary>On a server: whether to ask for compressed responses; when null, over TLS (Turso) yes and over plain http (a nearby sqld) no.</summary>
    public bool? CompressResponses { get; set; }
}
