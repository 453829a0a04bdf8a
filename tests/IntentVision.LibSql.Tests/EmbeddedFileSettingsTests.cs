namespace IntentVision.LibSql.Tests;

/// <summary>What every handle of a file database is set to when it is opened (or taken from the pool).</summary>
public sealed class EmbeddedFileSettingsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "intentvision-libsql-tests", Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(null, -32 * 1024)]
    [InlineData(64 * 1024, -64 * 1024)]
    [InlineData(0, -2000)]
    public async Task EveryHandleGetsThePageCacheForeignKeysAndSynchronousSetting(int? pageCacheKib, long expectedCacheSize)
    {
        var options = pageCacheKib is { } kib ? new LibSqlDataSourceOptions { EmbeddedPageCacheKib = kib } : new LibSqlDataSourceOptions();
        using var dataSource = LibSqlDataSource.Create("file:" + Path.Combine(_directory, "settings.db"), options: options);

        // Two handles at once, so the second is not the first one back from the pool.
        await using var first = await dataSource.OpenConnectionAsync();
        await using var second = await dataSource.OpenConnectionAsync();
        foreach (var connection in new[] { first, second })
        {
            Assert.Equal(expectedCacheSize, await ScalarAsync(connection, "PRAGMA cache_size"));
            Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA foreign_keys"));
            Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA synchronous"));
            Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        }
    }

    private static async Task<object?> ScalarAsync(LibSqlConnection connection, string sql)
    {
        await using var command = new LibSqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
