using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.Remote.SavepointTests;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>
/// On a server, writes made under <see cref="LibSqlTransaction.DeferWrites"/> travel with the transaction's next request
/// or its COMMIT (the writer sends detection's writes this way: a round trip per write group saved), with the outcome
/// they would have sent alone, and a failure among them commits nothing.
/// </summary>
public sealed class DeferredWriteTests(SqldServer server) : IClassFixture<SqldServer>
{
    [Fact]
    public async Task DeferredWritesTravelWithTheCommit()
    {
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        using var dataSource = LibSqlDataSource.CreateWithHandler(server.Url, recorder);
        var (connection, table) = await OpenWithTableAsync(dataSource);
        await using var disposeConnection = connection;
        recorder.Take();

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.Equal(1, await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'sent')", transaction));
            using (transaction.DeferWrites())
            {
                await transaction.SaveAsync("detection");
                Assert.Equal(-1, await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2, 'deferred')", transaction));
                Assert.Equal(-1, await ExecuteAsync(connection, $"UPDATE {table} SET v = v || '+' WHERE id = 1", transaction));
                await transaction.ReleaseAsync("detection");
            }

            await transaction.CommitAsync();
        }

        // The first statement (with BEGIN), then the two writes, the savepoint statements and COMMIT in one request.
        Assert.Equal(2, recorder.Take().Count);
        Assert.Equal("sent+,deferred", await ScalarAsync(connection, $"SELECT group_concat(v, ',') FROM (SELECT v FROM {table} ORDER BY id)"));
    }

    [Fact]
    public async Task ATransactionOfDeferredWritesAloneIsOneRequest()
    {
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        using var dataSource = LibSqlDataSource.CreateWithHandler(server.Url, recorder);
        var (connection, table) = await OpenWithTableAsync(dataSource);
        await using var disposeConnection = connection;
        recorder.Take();

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            using (transaction.DeferWrites())
            {
                await using var batch = new LibSqlBatch { Connection = connection, Transaction = transaction };
                batch.BatchCommands.Add(new LibSqlBatchCommand($"INSERT INTO {table} VALUES (1, 'a')"));
                batch.BatchCommands.Add(new LibSqlBatchCommand($"INSERT INTO {table} VALUES (2, 'b')"));
                Assert.Equal(-1, await batch.ExecuteNonQueryAsync());
                Assert.All(batch.BatchCommands, c => Assert.Equal(-1, c.RecordsAffected));
            }

            await transaction.CommitAsync();
        }

        // BEGIN, the writes and COMMIT in one request.
        Assert.Single(recorder.Take());
        Assert.Equal(2L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task AReadAfterDeferredWritesSeesThem()
    {
        await using var dataSource = LibSqlDataSource.Create(server.Url);
        var (connection, table) = await OpenWithTableAsync(dataSource);
        await using var disposeConnection = connection;

        await using var transaction = await connection.BeginTransactionAsync();
        using (transaction.DeferWrites())
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'a')", transaction);

            // A read is never deferred: the pending write goes first.
            Assert.Equal(1L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}", transaction));
        }

        await transaction.CommitAsync();
        Assert.Equal(1L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task AFailedDeferredWriteFailsTheCommitAndNothingCommits()
    {
        await using var dataSource = LibSqlDataSource.Create(server.Url);
        var (connection, table) = await OpenWithTableAsync(dataSource);
        await using var disposeConnection = connection;

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'a')", transaction);
            using (transaction.DeferWrites())
            {
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2, 'b')", transaction);
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'duplicate')", transaction);
            }

            var error = await Assert.ThrowsAsync<LibSqlException>(() => transaction.CommitAsync());
            Assert.True(error.FailedBeforeCommit);
            Assert.Equal("SQLITE_CONSTRAINT", error.PrimaryCode);
            Assert.Contains("duplicate", error.Statement, StringComparison.Ordinal);
        }

        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task AFailedDeferredWriteEndsTheTransactionAtTheNextStatement()
    {
        await using var dataSource = LibSqlDataSource.Create(server.Url);
        var (connection, table) = await OpenWithTableAsync(dataSource);
        await using var disposeConnection = connection;

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'a')", transaction);
            using (transaction.DeferWrites())
            {
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'duplicate')", transaction);
            }

            var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (3, 'c')", transaction));
            Assert.True(error.FailedBeforeCommit);
            await Assert.ThrowsAsync<LibSqlException>(() => transaction.CommitAsync());
        }

        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }
}
