using Dapper;
using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

public abstract class DapperSmokeTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    private sealed record Item(long Id, string Name, double Score, byte[]? Payload);

    [Fact]
    public async Task DapperRoundTripsRows()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("CREATE TABLE smoke_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, payload BLOB)");
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO smoke_items (id, name, score, payload) VALUES (@Id, @Name, @Score, @Payload)",
            new[] { new Item(1, "one", 1.5, [1, 2]), new Item(2, "two", 2, null) });
        Assert.Equal(2, inserted);

        var items = (await connection.QueryAsync<Item>("SELECT id, name, score, payload FROM smoke_items ORDER BY id")).ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("one", items[0].Name);
        Assert.Equal(new byte[] { 1, 2 }, items[0].Payload);
        Assert.Equal(2.0, items[1].Score);
        Assert.Null(items[1].Payload);

        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("UPDATE smoke_items SET name = :name WHERE id = :id", new { id = 1, name = "uno" }, transaction);
        Assert.Equal("uno", await connection.ExecuteScalarAsync<string>("SELECT name FROM smoke_items WHERE id = $id", new { id = 1 }, transaction));
        await transaction.CommitAsync();
        Assert.Equal("uno", connection.ExecuteScalar<string>("SELECT name FROM smoke_items WHERE id = 1"));
    }
}

[Collection(SqldCollection.Name)]
public sealed class DapperSmokeFileTests(SqldServer server) : DapperSmokeTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class DapperSmokeSqldTests(SqldServer server) : DapperSmokeTests(server, TestBackend.Sqld);
