using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>sqld refuses new streams past 128 open ones: holding many at once shows whether earlier work left streams open.</summary>
internal static class OpenStreams
{
    /// <summary>Holds <paramref name="count"/> streams open at once (deferred transactions, each past its first statement), then lets them go.</summary>
    public static async Task HoldAsync(LibSqlDataSource dataSource, int count)
    {
        var connections = new List<LibSqlConnection>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var connection = (LibSqlConnection)await dataSource.OpenConnectionAsync();
                connections.Add(connection);
                var transaction = connection.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: true);
                Assert.Equal(1L, await ScalarAsync(connection, "SELECT 1", transaction));
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
