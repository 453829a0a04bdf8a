using System.Data.Common;
using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

public abstract class TransactionTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    [Fact]
    public async Task CommitMakesWritesVisibleToOtherConnectionsOnlyThen()
    {
        var table = await CreateTableAsync();
        await using var writer = await DataSource.OpenConnectionAsync();
        await using var reader = await DataSource.OpenConnectionAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await ExecuteAsync(writer, $"INSERT INTO {table} VALUES (1, 'a')", transaction);
        await ExecuteAsync(writer, $"INSERT INTO {table} VALUES (2, 'b')", transaction);
        Assert.Equal(2L, await ScalarAsync(writer, $"SELECT count(*) FROM {table}", transaction));
        Assert.Equal(0L, await ScalarAsync(reader, $"SELECT count(*) FROM {table}"));
        await transaction.CommitAsync();
        Assert.Equal(2L, await ScalarAsync(reader, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task RollbackAndDisposeWithoutCommitDiscardWrites()
    {
        var table = await CreateTableAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'a')", transaction);
            await transaction.RollbackAsync();
        }

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2, 'b')", transaction);
        }

        using (var transaction = connection.BeginTransaction())
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (3, 'c')", transaction);
            connection.Close();
        }

        await connection.OpenAsync();
        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task DeferredWritesCommitAndRollBackWithTheirTransaction()
    {
        var table = await CreateTableAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            using (transaction.DeferWrites())
            {
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'undone')", transaction);
            }

            await transaction.RollbackAsync();
        }

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            using (transaction.DeferWrites())
            {
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2, 'kept')", transaction);
                Assert.Equal("kept", await ScalarAsync(connection, $"SELECT name FROM {table} WHERE id = 2", transaction));
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (3, 'kept')", transaction);
            }

            await transaction.CommitAsync();
        }

        Assert.Equal(2L, await ScalarAsync(connection, $"SELECT count(*) FROM {table} WHERE name = 'kept'"));
        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table} WHERE name = 'undone'"));
    }

    [Fact]
    public async Task AFailedStatementKeepsTheTransactionUsable()
    {
        var table = await CreateTableAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'a')", transaction);
        var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'dup')", transaction));
        Assert.Equal("SQLITE_CONSTRAINT", error.PrimaryCode);
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2, 'b')", transaction);
        await transaction.CommitAsync();
        Assert.Equal(2L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task SavepointsRollBackPartOfATransaction()
    {
        var table = await CreateTableAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'keep')", transaction);
        await transaction.SaveAsync("sp");
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2, 'drop')", transaction);
        await transaction.RollbackAsync("sp");
        await transaction.ReleaseAsync("sp");
        await transaction.CommitAsync();
        Assert.Equal(1L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task TwoConcurrentTransactionsBothCommit()
    {
        var table = await CreateTableAsync();
        async Task WriteAsync(int first)
        {
            await using var connection = await DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            for (var i = first; i < first + 10; i++)
            {
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES ({i}, 'x')", transaction);
            }

            await transaction.CommitAsync();
        }

        await Task.WhenAll(WriteAsync(0), WriteAsync(100));
        await using var check = await DataSource.OpenConnectionAsync();
        Assert.Equal(20L, await ScalarAsync(check, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task ADeferredTransactionReadsAConsistentSnapshot()
    {
        var table = await CreateTableAsync();
        await using var connection = (LibSqlConnection)await DataSource.OpenConnectionAsync();
        await using var other = await DataSource.OpenConnectionAsync();
        await ExecuteAsync(other, $"INSERT INTO {table} VALUES (1, 'a')");
        await using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: true);
        Assert.Equal(1L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}", transaction));
        await ExecuteAsync(other, $"INSERT INTO {table} VALUES (2, 'b')");
        Assert.Equal(1L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}", transaction));
        await transaction.CommitAsync();
        Assert.Equal(2L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task NestedTransactionsAndCompletedOnesAreRefused()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await connection.BeginTransactionAsync());
        await transaction.CommitAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => transaction.CommitAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => ExecuteAsync(connection, "SELECT 1", transaction));
    }

    private async Task<string> CreateTableAsync()
    {
        var table = UniqueTable();
        await using var connection = await DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)");
        return table;
    }

    internal static async Task<int> ExecuteAsync(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync();
    }

    internal static async Task<object?> ScalarAsync(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync();
    }
}

[Collection(SqldCollection.Name)]
public sealed class TransactionFileTests(SqldServer server) : TransactionTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class TransactionSqldTests(SqldServer server) : TransactionTests(server, TestBackend.Sqld);
