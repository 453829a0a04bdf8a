using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>sqld refuses new streams past 128 open ones, so every path must close its stream: this runs them all many times.</summary>
public sealed class StreamHygieneTests : IClassFixture<SqldServer>, IDisposable
{
    private readonly LibSqlDataSource _dataSource;

    public StreamHygieneTests(SqldServer server)
    {
        _dataSource = server.CreateDataSource();
    }

    [Fact]
    public async Task FiveHundredCommandsAndTransactionsLeaveNoStreamOpen()
    {
        var table = BackendTestBase.UniqueTable();
        await using (var setup = await _dataSource.OpenConnectionAsync())
        {
            await ExecuteAsync(setup, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        }

        for (var i = 0; i < 500; i++)
        {
            await using var connection = (LibSqlConnection)await _dataSource.OpenConnectionAsync();
            switch (i % 8)
            {
                case 0:
                    await ExecuteAsync(connection, $"INSERT INTO {table} VALUES ({i}, 'x')");
                    break;
                case 1:
                    await using (var reader = await connection.CreateCommand().ExecuteReaderAsync())
                    {
                    }

                    await ScalarAsync(connection, $"SELECT count(*) FROM {table}");
                    break;
                case 2:
                    await using (var transaction = await connection.BeginTransactionAsync())
                    {
                        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES ({i}, 'x')", transaction);
                        await transaction.CommitAsync();
                    }

                    break;
                case 3:
                    await using (var transaction = await connection.BeginTransactionAsync())
                    {
                        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES ({i}, 'x')", transaction);
                        await transaction.RollbackAsync();
                    }

                    break;
                case 4:
                    // Disposed without commit, and a failing statement inside.
                    await using (var transaction = await connection.BeginTransactionAsync())
                    {
                        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES ({i}, 'x')", transaction);
                        await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, $"INSERT INTO {table} VALUES ({i}, NULL)", transaction));
                    }

                    break;
                case 5:
                    await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, "SELECT * FROM no_such_table"));
                    break;
                case 6:
                    await using (var batch = connection.CreateBatch())
                    {
                        batch.Atomic = i % 16 == 6;
                        batch.BatchCommands.Add($"INSERT INTO {table} VALUES (?, 'b')", i);
                        batch.BatchCommands.Add($"SELECT v FROM {table} WHERE id = ?", i);
                        await batch.ExecuteNonQueryAsync();
                    }

                    break;
                default:
                    // The connection is closed (not disposed) with a transaction that began on the server.
                    var open = connection.BeginTransaction();
                    await ScalarAsync(connection, "SELECT 1", open);
                    await connection.CloseAsync();
                    break;
            }
        }

        // More simultaneous streams than the server's limit of 128 would allow if any had leaked.
        await OpenStreams.HoldAsync(_dataSource, 120);

        await using var last = await _dataSource.OpenConnectionAsync();
        Assert.True((long)(await ScalarAsync(last, $"SELECT count(*) FROM {table}"))! > 100);
    }

    public void Dispose() => _dataSource.Dispose();
}
