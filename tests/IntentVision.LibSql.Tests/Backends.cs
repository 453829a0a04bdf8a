using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

/// <summary>The two places the same code must behave the same: a local file and a real sqld.</summary>
public static class Backends
{
    public const string File = "file";
    public const string Server = "server";

    public static TheoryData<string> Both => new() { File, Server };

    public static LibSqlDataSource Create(string backend, SqldServer server, LibSqlDataSourceOptions? options = null) => backend switch
    {
        File => LibSqlDataSource.Create("file:" + Path.Combine(Path.GetTempPath(), "intentvision-libsql-tests", Guid.NewGuid().ToString("N") + ".db"), options: options),
        _ => server.CreateDataSource(options),
    };

    /// <summary>A table name no other test uses, since tests share one server.</summary>
    public static string UniqueTable(string prefix = "t") => $"{prefix}_{Guid.NewGuid():N}"[..24];
}
