using IntentVision.LibSql;

namespace IntentVision.Data.Tests;

/// <summary>A fresh libSQL file in its own temporary folder, deleted with the folder on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("intentvision-test-").FullName;
        Path = System.IO.Path.Combine(Directory, "test.db");
        DataSource = LibSqlDataSource.Create("file:" + Path);
    }

    public string Directory { get; }

    public string Path { get; }

    public LibSqlDataSource DataSource { get; }

    public void Dispose()
    {
        DataSource.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle may linger a moment; the OS temp cleaner will take the rest.
        }
    }
}
