using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests;

public abstract class BatchTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    [Fact]
    public async Task ABatchReportsRowsPerCommandAndResultSetsInOrder()
    {
        var table = await CreateTableAsync();
        await using var connection = (LibSqlConnection)await DataSource.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        batch.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (?, ?)", 1, "a");
        batch.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (?, ?)", 2, "b");
        batch.BatchCommands.Add($"SELECT name FROM {table} ORDER BY id");
        batch.BatchCommands.Add($"UPDATE {table} SET name = upper(name)");
        batch.BatchCommands.Add($"SELECT count(*) FROM {table}");
        await using var reader = await batch.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("a", reader.GetString(0));
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal(2L, reader.GetInt64(0));
        Assert.Equal(4, reader.RecordsAffected);
        Assert.Equal([1, 1, -1, 2, -1], batch.BatchCommands.Select(c => c.RecordsAffected));
    }

    [Fact]
    public async Task APlainBatchStopsAtTheFirstErrorAndKeepsWhatRanBefore()
    {
        var table = await CreateTableAsync();
        await using var connection = (LibSqlConnection)await DataSource.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        batch.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (1, 'a')");
        batch.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (1, 'dup')");
        batch.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (3, 'c')");
        var error = await Assert.ThrowsAsync<LibSqlException>(() => batch.ExecuteNonQueryAsync());
        Assert.Equal("SQLITE_CONSTRAINT", error.PrimaryCode);
        Assert.Equal($"INSERT INTO {table} (id, name) VALUES (1, 'dup')", error.Statement);
        Assert.Equal("1", await ScalarAsync(connection, $"SELECT group_concat(id) FROM {table}"));
    }

    [Fact]
    public async Task AnAtomicBatchAppliesAllOrNothingInOneRoundTrip()
    {
        var table = await CreateTableAsync();
        await using var connection = (LibSqlConnection)await DataSource.OpenConnectionAsync();
        await using var failing = connection.CreateBatch();
        failing.Atomic = true;
        failing.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (1, 'a')");
        failing.BatchCommands.Add($"UPDATE {table} SET name = NULL WHERE id = 1 AND name = 'zzz'");
        failing.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (1, 'dup')");
        var error = await Assert.ThrowsAsync<LibSqlException>(() => failing.ExecuteNonQueryAsync());
        Assert.Equal("SQLITE_CONSTRAINT", error.PrimaryCode);
        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));

        await using var passing = connection.CreateBatch();
        passing.Atomic = true;
        passing.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (1, 'a')");
        passing.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (2, 'b')");
        Assert.Equal(2, await passing.ExecuteNonQueryAsync());
        Assert.Equal(2L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task TenThousandInsertsInATransactionAreCountedPerCommand()
    {
        var table = await CreateTableAsync();
        await using var connection = (LibSqlConnection)await DataSource.OpenConnectionAsync();
        await using var transaction = connection.BeginTransaction();
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        for (var i = 0; i < 10_000; i++)
        {
            var command = new LibSqlBatchCommand($"INSERT INTO {table} (id, name) VALUES (@id, @name)");
            command.Parameters.AddWithValue("id", i);
            command.Parameters.AddWithValue("name", $"row {i} ü");
            batch.BatchCommands.Add(command);
        }

        Assert.Equal(10_000, await batch.ExecuteNonQueryAsync());
        Assert.All(batch.BatchCommands, c => Assert.Equal(1, c.RecordsAffected));
        await transaction.CommitAsync();
        Assert.Equal(10_000L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
        Assert.Equal("row 9999 ü", await ScalarAsync(connection, $"SELECT name FROM {table} WHERE id = 9999"));
    }

    [Fact]
    public async Task CoalescingCanBeTurnedOff()
    {
        var table = await CreateTableAsync();
        var dataSource = CreateDataSource(new LibSqlDataSourceOptions { CoalesceBatchInserts = false });
        await using var connection = (LibSqlConnection)await dataSource.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        batch.Atomic = true;
        for (var i = 0; i < 50; i++)
        {
            batch.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (?, 'x')", i);
        }

        Assert.Equal(50, await batch.ExecuteNonQueryAsync());
        Assert.All(batch.BatchCommands, c => Assert.Equal(1, c.RecordsAffected));
    }

    protected async Task<string> CreateTableAsync()
    {
        var table = UniqueTable();
        await using var connection = await DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        return table;
    }
}

[Collection(SqldCollection.Name)]
public sealed class BatchFileTests(SqldServer server) : BatchTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class BatchSqldTests(SqldServer server) : BatchTests(server, TestBackend.Sqld)
{
    [Fact]
    public async Task ACoalescedInsertThatFailsNamesItsCommandsAndAnAtomicBatchKeepsNothing()
    {
        var table = await CreateTableAsync();
        await using var connection = (LibSqlConnection)await DataSource.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        batch.Atomic = true;
        foreach (var id in new[] { 1, 2, 3, 2, 5 })
        {
            batch.BatchCommands.Add($"INSERT INTO {table} (id, name) VALUES (?, 'x')", id);
        }

        var error = await Assert.ThrowsAsync<LibSqlException>(() => batch.ExecuteNonQueryAsync());
        Assert.Equal("SQLITE_CONSTRAINT", error.PrimaryCode);
        Assert.Contains("batch commands 0..4", error.Message);
        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }
}
