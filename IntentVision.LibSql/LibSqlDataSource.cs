using System.Data.Common;
using IntentVision.LibSql.Embedded;
using IntentVision.LibSql.Execution;
using IntentVision.LibSql.Hrana;
using IntentVision.LibSql.Remote;
using IntentVision.LibSql.Sql;
using IntentVision.LibSql.Telemetry;

namespace IntentVision.LibSql;

/// <summary>
/// The one object that owns a libSQL database's configuration and hands out connections, like Npgsql's
/// <c>NpgsqlDataSource</c>. <c>file:</c> URLs open the file in-process (Microsoft.Data.Sqlite's pool, inside);
/// <c>http(s)://</c> and <c>libsql://</c> speak Hrana over HTTP to sqld or Turso. Either way callers get a
/// <see cref="LibSqlConnection"/>, so Dapper and every repository run the same code on both. Create one per database
/// and keep it for the life of the process: it owns the HTTP connection pool or the file's handle pool.
/// </summary>
public sealed class LibSqlDataSource : DbDataSource
{
    private readonly EmbeddedFileSettings? _embedded;
    private readonly HranaPipelineClient? _client;
    private readonly RemoteExecutor? _executor;
    private readonly RemoteSession? _remote;

    private LibSqlDataSource(LibSqlConnectionInfo info, LibSqlDataSourceOptions options, HttpMessageHandler? handler = null)
    {
        Info = info;
        Options = options;
        Instrumentation = new LibSqlInstrumentation(info);
        if (info.Backend == LibSqlBackend.EmbeddedFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(info.FilePath!)!);
            _embedded = new EmbeddedFileSettings(info.FilePath!, options.BusyTimeout, options.EmbeddedPageCacheKib);
            Capabilities = LibSqlCapabilities.EmbeddedFile;
        }
        else
        {
            var breaker = options.CircuitFailureThreshold > 0 ? new CircuitBreaker(options.CircuitFailureThreshold, options.CircuitBreakDuration, info.Url) : null;
            _client = new HranaPipelineClient(info.HttpEndpoint!, info.AuthToken, info.Url, handler, breaker, options.CompressResponses);
            _executor = new RemoteExecutor(_client, options, Instrumentation);
            _remote = new RemoteSession(_executor, SqlCache, options);
            Capabilities = LibSqlCapabilities.Remote;
        }
    }

    /// <summary>Where the database is and how it is reached. Its <see cref="LibSqlConnectionInfo.Url"/> holds no token.</summary>
    public LibSqlConnectionInfo Info { get; }

    public LibSqlDataSourceOptions Options { get; }

    public LibSqlBackend Backend => Info.Backend;

    /// <summary>What the database can do where a file and a server differ.</summary>
    public LibSqlCapabilities Capabilities { get; }

    /// <summary>The state of the circuit breaker in front of a server; a file has none and is always closed.</summary>
    public LibSqlCircuitState CircuitState => _client?.Breaker?.State ?? LibSqlCircuitState.Closed;

    /// <summary>
    /// Throws CIRCUIT_OPEN (<see cref="LibSqlFailureKind.Unavailable"/>, with <see cref="LibSqlException.RetryAfter"/>)
    /// while the circuit in front of the server is open: for work that queues before it sends anything.
    /// </summary>
    public void ThrowIfCircuitOpen() => _client?.Breaker?.ThrowIfOpen();

    /// <summary>
    /// Whether a connection opened now could write. On a file a fresh handle (outside the pool) that opens read-only says
    /// no: the file or its folder lost its write permission, which pooled handles opened before do not notice. A server
    /// is not asked (true); its refusals arrive with the writes.
    /// </summary>
    public bool OpensWritable() => _embedded?.OpensWritable() ?? true;

    /// <summary>
    /// Closes every idle pooled handle of a file and retires those in use when they come back, so the next connection
    /// opens the file anew (after its permissions or its disk were repaired). Nothing to do on a server.
    /// </summary>
    public void ClearPool() => _embedded?.ClearPool();

    /// <summary>The URL without credentials (the base class contract asks for a connection string; a token never leaves).</summary>
    public override string ConnectionString => Info.Url;

    internal SqlTextCache SqlCache { get; } = new();

    internal LibSqlInstrumentation Instrumentation { get; }

    public static LibSqlDataSource Create(string connectionStringOrUrl, string? authToken = null, LibSqlDataSourceOptions? options = null)
        => new(LibSqlConnectionInfo.Parse(connectionStringOrUrl, authToken), options ?? new LibSqlDataSourceOptions());

    public static LibSqlDataSource Create(LibSqlConnectionInfo info, LibSqlDataSourceOptions? options = null)
        => new(info, options ?? new LibSqlDataSourceOptions());

    /// <summary>For tests that put a fake server behind the HTTP client.</summary>
    internal static LibSqlDataSource CreateWithHandler(string url, HttpMessageHandler handler, LibSqlDataSourceOptions? options = null)
        => new(LibSqlConnectionInfo.Parse(url), options ?? new LibSqlDataSourceOptions(), handler);

    public new LibSqlConnection CreateConnection() => new(this);

    public new LibSqlConnection OpenConnection()
    {
        var connection = CreateConnection();
        connection.Open();
        return connection;
    }

    public new async ValueTask<LibSqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    internal ConnectionSession OpenSession() => _remote ?? (ConnectionSession)EmbeddedSession.Open(_embedded!, SqlCache, Instrumentation);

    protected override DbConnection CreateDbConnection() => CreateConnection();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Synchronous requests: a Dispose must not block on asynchronous work.
            _executor?.CloseIdleStreamsAsync(async: false).AsTask().GetAwaiter().GetResult();
            Release();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (_executor is not null)
        {
            await _executor.CloseIdleStreamsAsync(async: true).ConfigureAwait(false);
        }

        Release();
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    private void Release()
    {
        _client?.Dispose();
        _embedded?.ClearPool();
        _embedded?.Dispose();
        Instrumentation.Dispose();
    }
}
