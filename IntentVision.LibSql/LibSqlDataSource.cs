using System.Data.Common;
using IntentVision.LibSql.Embedded;
using IntentVision.LibSql.Hrana;
using IntentVision.LibSql.Remote;
using IntentVision.LibSql.Sql;
using IntentVision.LibSql.Telemetry;
using Microsoft.Data.Sqlite;

namespace IntentVision.LibSql;

/// <summary>
/// The one object that owns a libSQL database's configuration and hands out connections, like Npgsql's
/// <c>NpgsqlDataSource</c>. <c>file:</c> URLs open the file in-process; <c>http(s)://</c> and <c>libsql://</c>
/// speak Hrana over HTTP to sqld or Turso. Callers see only <see cref="DbConnection"/>, so Dapper runs on either.
/// Create one per database and keep it for the life of the process: a remote data source owns the HTTP connection pool.
/// </summary>
public sealed class LibSqlDataSource : DbDataSource
{
    private readonly string _embeddedConnectionString = string.Empty;
    private readonly EmbeddedFileSettings? _embedded;
    private readonly HranaPipelineClient? _client;
    private readonly LibSqlInstrumentation _instrumentation;

    private LibSqlDataSource(LibSqlConnectionInfo info, LibSqlDataSourceOptions options, HttpMessageHandler? handler = null)
    {
        Info = info;
        Options = options;
        _instrumentation = new LibSqlInstrumentation(info);
        if (info.Backend == LibSqlBackend.EmbeddedFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(info.FilePath!)!);
            _embeddedConnectionString = new SqliteConnectionStringBuilder
            {
                DataSource = info.FilePath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                ForeignKeys = true,
                Pooling = true,
                DefaultTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds),
            }.ToString();
            _embedded = new EmbeddedFileSettings(options.BusyTimeout, _instrumentation);
        }
        else
        {
            _client = new HranaPipelineClient(info.HttpEndpoint!, info.AuthToken, info.Url, handler);
            Executor = new RemoteExecutor(_client, options, _instrumentation);
            SqlCache = new SqlTextCache();
        }
    }

    /// <summary>Where the database is and how it is reached. Its <see cref="LibSqlConnectionInfo.Url"/> holds no token.</summary>
    public LibSqlConnectionInfo Info { get; }

    public LibSqlDataSourceOptions Options { get; }

    public LibSqlBackend Backend => Info.Backend;

    /// <summary>The URL without credentials (the base class contract asks for a connection string; a token never leaves).</summary>
    public override string ConnectionString => Info.Url;

    internal RemoteExecutor? Executor { get; }

    internal SqlTextCache? SqlCache { get; }

    public static LibSqlDataSource Create(string connectionStringOrUrl, string? authToken = null, LibSqlDataSourceOptions? options = null)
        => new(LibSqlConnectionInfo.Parse(connectionStringOrUrl, authToken), options ?? new LibSqlDataSourceOptions());

    public static LibSqlDataSource Create(LibSqlConnectionInfo info, LibSqlDataSourceOptions? options = null)
        => new(info, options ?? new LibSqlDataSourceOptions());

    /// <summary>For tests that put a fake server behind the HTTP client.</summary>
    internal static LibSqlDataSource CreateWithHandler(string url, HttpMessageHandler handler, LibSqlDataSourceOptions? options = null)
        => new(LibSqlConnectionInfo.Parse(url), options ?? new LibSqlDataSourceOptions(), handler);

    protected override DbConnection CreateDbConnection() => Info.Backend switch
    {
        LibSqlBackend.EmbeddedFile => new EmbeddedLibSqlConnection(_embeddedConnectionString, _embedded!),
        _ => new LibSqlConnection(this),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client?.Dispose();
            _instrumentation.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore()
    {
        _client?.Dispose();
        _instrumentation.Dispose();
        return base.DisposeAsyncCore();
    }
}
