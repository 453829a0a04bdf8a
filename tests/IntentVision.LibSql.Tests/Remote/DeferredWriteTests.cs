using IntentVision.TestSupport;
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
        await using var onServer = await ServerTable.CreateAsync(server.Url);
        var (connection, table, recorder) = (onServer.Connection, onServer.Name, onServer.Recorder);

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
        await using var onServer = await ServerTable.CreateAsync(server.Url);
        var (connection, table, recorder) = (onServer.Connection, onServer.Name, onServer.Recorder);

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
        await using var onServer = await ServerTable.CreateAsync(server.Url);
        var (connection, table) = (onServer.Connection, onServer.Name);

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
        await using var onServer = await ServerTable.CreateAsync(server.Url);
        var (connection, table) = (onServer.Connection, onServer.Name);

        await using (var transaction = await BeginWithAFailingDeferredWriteAsync(connection, table, "(2, 'b')", "(1, 'duplicate')"))
        {
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
        await using var onServer = await ServerTable.CreateAsync(server.Url);
        var (connection, table) = (onServer.Connection, onServer.Name);

        await using (var transaction = await BeginWithAFailingDeferredWriteAsync(connection, table, "(1, 'duplicate')"))
        {
            var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (3, 'c')", transaction));
            Assert.True(error.FailedBeforeCommit);

            // Whatever runs after it, a rollback to a savepoint or the commit, fails the same way: nothing commits.
            Assert.True((await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (4, 'd')", transaction))).FailedBeforeCommit);
            Assert.True((await Assert.ThrowsAsync<LibSqlException>(() => transaction.CommitAsync())).FailedBeforeCommit);
        }

        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    /// <summary>A transaction that inserted row 1 as usual, then the <paramref name="rows"/> deferred (one of them collides).</summary>
    private static async Task<LibSqlTransaction> BeginWithAFailingDeferredWriteAsync(LibSqlConnection connection, string table, params string[] rows)
    {
        var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'a')", transaction);
        using (transaction.DeferWrites())
        {
            foreach (var row in rows)
            {
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES {row}", transaction);
            }
        }

        return transaction;
    }
}
