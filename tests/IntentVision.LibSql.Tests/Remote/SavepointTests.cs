using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>
/// On a server, SAVEPOINT and RELEASE travel in front of the transaction's next statement instead of costing a round trip
/// each (the single writer runs every unit of a write group under a savepoint), with the same outcome as sent alone.
/// </summary>
public sealed class SavepointTests(SqldServer server) : IClassFixture<SqldServer>
{
    [Fact]
    public async Task SavepointsAndReleasesTravelWithTheNextStatement()
    {
        await using var onServer = await ServerTable.CreateAsync(server.Url);
        var (connection, table, recorder) = (onServer.Connection, onServer.Name, onServer.Recorder);

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var unit = 1; unit <= 4; unit++)
            {
                await transaction.SaveAsync("unit");
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES ({unit}, 'u{unit}')", transaction);
                await transaction.ReleaseAsync("unit");
            }

            await transaction.CommitAsync();
        }

        // Four statements and the commit: no request of its own for any of the eight savepoint statements.
        Assert.Equal(5, recorder.Take().Count);
        Assert.Equal(4L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task RollingBackToADeferredSavepointUndoesOnlyWhatFollowedIt()
    {
        await using var onServer = await ServerTable.CreateAsync(server.Url);
        var (connection, table) = (onServer.Connection, onServer.Name);

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await transaction.SaveAsync("unit");
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'kept')", transaction);
            await transaction.ReleaseAsync("unit");

            // The second unit fails on its statement; its savepoint went with that statement, so the rollback to it
            // keeps the first unit's row.
            await transaction.SaveAsync("unit");
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2, 'undone')", transaction);
            await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'duplicate')", transaction));
            await transaction.RollbackAsync("unit");
            await transaction.ReleaseAsync("unit");

            // A savepoint with nothing after it before its rollback: never sent, the rollback still finds it.
            await transaction.SaveAsync("empty");
            await transaction.RollbackAsync("empty");
            await transaction.ReleaseAsync("empty");

            // Read inside the transaction right after a savepoint (a read goes alone, after the savepoints).
            await transaction.SaveAsync("read");
            Assert.Equal(1L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}", transaction));
            await transaction.ReleaseAsync("read");
            await transaction.CommitAsync();
        }

        Assert.Equal("kept", await ScalarAsync(connection, $"SELECT group_concat(v) FROM {table}"));
    }

    [Fact]
    public async Task AFailedDeferredReleaseEndsTheTransactionAndNothingCommits()
    {
        await using var onServer = await ServerTable.CreateAsync(server.Url);
        var (connection, table) = (onServer.Connection, onServer.Name);

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'a')", transaction);
            await transaction.ReleaseAsync("never_saved");
            var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2, 'b')", transaction));
            Assert.Contains("never_saved", error.Message, StringComparison.Ordinal);

            // Which savepoints exist is unknown after that: the transaction cannot go on or commit.
            await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (3, 'c')", transaction));
            await Assert.ThrowsAsync<LibSqlException>(() => transaction.CommitAsync());
        }

        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }
}
