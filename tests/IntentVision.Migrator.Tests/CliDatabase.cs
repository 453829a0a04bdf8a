using IntentVision.LibSql;
using IntentVision.TestSupport;

namespace IntentVision.Migrator.Tests;

/// <summary>A fresh database for one CLI test: a temporary file, or a sqld of its own (it starts in ~150 ms).</summary>
public sealed class CliDatabase : IAsyncDisposable
{
    private readonly SqldServer? _server;
    private readonly string _directory;

    private CliDatabase(string url, string directory, SqldServer? server)
    {
        Url = url;
        _directory = directory;
        _server = server;
        DataSource = LibSqlDataSource.Create(url);
    }

    /// <summary>What --database gets.</summary>
    public string Url { get; }

    public LibSqlDataSource DataSource { get; }

    /// <summary>A folder for migration files and dumps that lives as long as the database.</summary>
    public string Directory => _directory;

    public static async Task<CliDatabase> CreateAsync(CliBackend backend)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("intentvision-cli-").FullName;
        if (backend == CliBackend.File)
        {
            return new CliDatabase("file:" + Path.Combine(directory, "cli.db"), directory, null);
        }

        var server = await SqldServer.StartAsync();
        return new CliDatabase(server.ConnectionString, directory, server);
    }

    public async ValueTask DisposeAsync()
    {
        DataSource.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
