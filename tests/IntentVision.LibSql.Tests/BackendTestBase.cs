using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

/// <summary>
/// A test class run on both backends: its sealed File subclass gets a fresh file database, its Sqld subclass the
/// collection's shared sqld (tables get unique names there). Everything the test does goes through one
/// <see cref="LibSqlConnection"/> type either way.
/// </summary>
public abstract class BackendTestBase : IDisposable
{
    private readonly List<LibSqlDataSource> _dataSources = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "intentvision-libsql-tests", Guid.NewGuid().ToString("N"));

    protected BackendTestBase(SqldServer server, TestBackend backend)
    {
        Server = server;
        Backend = backend;
        DataSource = CreateDataSource();
    }

    protected SqldServer Server { get; }

    protected TestBackend Backend { get; }

    protected LibSqlDataSource DataSource { get; }

    /// <summary>A table name no other test uses, since tests share one server.</summary>
    public static string UniqueTable(string prefix = "t") => $"{prefix}_{Guid.NewGuid():N}"[..24];

    /// <summary>Another data source on the same database (with other options), disposed with the test.</summary>
    protected LibSqlDataSource CreateDataSource(LibSqlDataSourceOptions? options = null)
    {
        var dataSource = Backend == TestBackend.File
            ? LibSqlDataSource.Create("file:" + Path.Combine(_directory, "test.db"), options: options)
            : Server.CreateDataSource(options);
        _dataSources.Add(dataSource);
        return dataSource;
    }

    public void Dispose()
    {
        foreach (var dataSource in _dataSources)
        {
            dataSource.Dispose();
        }

        try
        {
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // The OS temp cleaner takes what a lingering handle kept.
        }

        GC.SuppressFinalize(this);
    }
}
