using IntentVision.LibSql;

namespace IntentVision.TestSupport;

/// <summary>
/// A fresh, empty database on either backend, for one test, with a working folder beside it (migration files, dumps).
/// For sqld that is a server of its own: it starts in about 150 ms, which is cheaper and more honest than emptying a
/// shared one between tests. Disposing closes every data source, stops the server and deletes the folder.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly List<LibSqlDataSource> _extra = [];

    private TestDatabase(TestBackend backend, string connectionString, string directory, SqldServer? server)
    {
        Backend = backend;
        ConnectionString = connectionString;
        Directory = directory;
        Server = server;
        DataSource = LibSqlDataSource.Create(connectionString);
    }

    public TestBackend Backend { get; }

    /// <summary>What a CLI's <c>--database</c> or another data source takes (<c>file:/tmp/...</c>, or the server's URL and token).</summary>
    public string ConnectionString { get; }

    public LibSqlDataSource DataSource { get; }

    /// <summary>The server behind a <see cref="TestBackend.Sqld"/> database.</summary>
    public SqldServer? Server { get; }

    /// <summary>A folder that lives as long as the database (it holds the file of a file database).</summary>
    public string Directory { get; }

    public static async Task<TestDatabase> CreateAsync(TestBackend backend, bool requireAuth = false)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("intentvision-test-").FullName;
        if (backend == TestBackend.File)
        {
            return new TestDatabase(backend, "file:" + Path.Combine(directory, "test.db"), directory, null);
        }

        var server = await SqldServer.StartAsync(requireAuth);
        return new TestDatabase(backend, server.ConnectionString, directory, server);
    }

    /// <summary>A second, independent data source on the same database (as another process would have).</summary>
    public LibSqlDataSource OpenAnother(LibSqlDataSourceOptions? options = null)
    {
        var another = LibSqlDataSource.Create(ConnectionString, options: options);
        _extra.Add(another);
        return another;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        foreach (var extra in _extra)
        {
            await extra.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A handle may linger a moment (another process's); the OS temp cleaner takes the rest.
        }
    }
}
