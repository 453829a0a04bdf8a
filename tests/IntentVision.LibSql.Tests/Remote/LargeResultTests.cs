using Dapper;
using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests.Remote;

[Collection(SqldCollection.Name)]
public sealed class LargeResultTests(SqldServer server)
{
    private sealed record Row(long Id, string Label, double Half);

    [Fact]
    public async Task AHundredThousandRowsArriveCompleteAndInOrder()
    {
        using var dataSource = server.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        const string sql = """
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 100000)
            SELECT x AS Id, 'row ' || x AS Label, x * 0.5 AS Half FROM n
            """;
        var rows = (await connection.QueryAsync<Row>(sql)).AsList();
        Assert.Equal(100_000, rows.Count);
        Assert.Equal(new Row(1, "row 1", 0.5), rows[0]);
        Assert.Equal(new Row(100_000, "row 100000", 50_000), rows[^1]);
        Assert.Equal(100_000L * 100_001 / 2, rows.Sum(r => r.Id));
    }
}
