using IntentVision.LibSql;
using IntentVision.TestSupport;

namespace IntentVision.Data.Tests;

/// <summary>
/// A fresh, empty database on either backend, for one test. For sqld that is a server of its own: it starts in about
/// 150 ms, which is cheaper and more honest than emptying a shared one between tests.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly SqldServer? _server;
    private readonly List<LibSqlDataSource> _extra = [];

    private ScratchDatabase(TestBackend backend, string connectionString, string? directory, SqldServer? server)
    {
        Backend = backend;
        ConnectionString = connectionString;
        _directory = directory;
        _server = server;
        DataSource = LibSqlDataSource.Create(connectionString);
    }

    public TestBackend Backend { get; }

    /// <summary>The URL a CLI or another data source uses (<c>file:/tmp/...</c> or <c>http://127.0.0.1:port</c>).</summary>
    public string ConnectionString { get; }

    public LibSqlDataSource DataSource { get; }

    public SqldServer? Server => _server;

    public static async Task<ScratchDatabase> CreateAsync(TestBackend backend)
    {
        if (backend == TestBackend.File)
        {
            var directory = Directory.CreateTempSubdirectory("intentvision-test-").FullName;
            return new ScratchDatabase(backend, "file:" + Path.Combine(directory, "test.db"), directory, null);
        }

        var server = await SqldServer.StartAsync();
        return new ScratchDatabase(backend, server.ConnectionString, null, server);
    }

    /// <summary>A second, independent data source on the same database (as another process would have).</summary>
    public LibSqlDataSource OpenAnother()
    {
        var another = LibSqlDataSource.Create(ConnectionString);
        _extra.Add(another);
        return another;
    }

    public async ValueTask DisposeAsync()
    {
        DataSource.Dispose();
        foreach (var extra in _extra)
        {
            extra.Dispose();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A pooled handle may linger a moment; the OS temp cleaner takes the rest.
            }
        }
    }
}
