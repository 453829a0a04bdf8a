using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>
/// Commands and transactions on a server go on streams an earlier one left open (<c>LibSqlDataSourceOptions.IdleStreams</c>).
/// What shows it from outside is the connection-wide <c>last_insert_rowid()</c>: on a new stream it is 0, on a kept one
/// it is the row the stream's last command inserted. A stream must never be kept inside a transaction or with its
/// connection changed. This class restarts its own sqld.
/// </summary>
public sealed class IdleStreamTests(SqldServer server) : IClassFixture<SqldServer>
{
    private const string LastRowId = "SELECT last_insert_rowid()";

    [Fact]
    public async Task ACommandGoesOnTheStreamTheLastCommandLeftOpen()
    {
        await using var dataSource = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 1 });
        var table = await CreateTableAsync(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();

        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (42, 'x')");

        Assert.Equal(42L, await ScalarAsync(connection, LastRowId));
    }

    [Fact]
    public async Task WithNoIdleStreamsEveryCommandHasANewStream()
    {
        await using var dataSource = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 0 });
        var table = await CreateTableAsync(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();

        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (42, 'x')");

        Assert.Equal(0L, await ScalarAsync(connection, LastRowId));
    }

    [Fact]
    public async Task AStreamIdleLongerThanItsTimeoutIsNotUsedAgain()
    {
        await using var dataSource = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 1, StreamIdleTimeout = TimeSpan.FromMilliseconds(200) });
        var table = await CreateTableAsync(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();

        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (42, 'x')");
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Equal(0L, await ScalarAsync(connection, LastRowId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACommittedTransactionLeavesItsStreamForTheNextCommand(bool deferWrites)
    {
        await using var dataSource = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 1 });
        var table = await CreateTableAsync(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            using (deferWrites ? ((LibSqlTransaction)transaction).DeferWrites() : null)
            {
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (7, 'x')", transaction);
            }

            await transaction.CommitAsync();
        }

        Assert.Equal(7L, await ScalarAsync(connection, LastRowId));
        Assert.Equal(1L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task ATransactionThatFailedAtItsCommitIsRolledBackAndHoldsNoLock()
    {
        // A short busy timeout: a write lock left behind would fail the next write at once instead of after 5 s.
        await using var dataSource = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 1, BusyTimeout = TimeSpan.FromMilliseconds(300) });
        var table = await CreateTableAsync(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();

        await using (var transaction = (LibSqlTransaction)await connection.BeginTransactionAsync())
        {
            using (transaction.DeferWrites())
            {
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 'kept?')", transaction);
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2, NULL)", transaction);
            }

            var failed = await Assert.ThrowsAsync<LibSqlException>(() => transaction.CommitAsync());
            Assert.True(failed.FailedBeforeCommit);
        }

        // The next command goes on the same stream: outside any transaction, so its write commits and others see it.
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (3, 'after')");
        Assert.Equal(3L, await ScalarAsync(connection, LastRowId));
        await using var other = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 0 });
        await using var otherConnection = await other.OpenConnectionAsync();
        Assert.Equal("after", await ScalarAsync(otherConnection, $"SELECT group_concat(v) FROM {table}"));
    }

    [Fact]
    public async Task ABareBeginIsRolledBackWithItsStreamNotKept()
    {
        await using var dataSource = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 1, BusyTimeout = TimeSpan.FromMilliseconds(300) });
        var table = await CreateTableAsync(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();

        await ExecuteAsync(connection, $"BEGIN; INSERT INTO {table} VALUES (5, 'left open')");

        Assert.Equal(0L, await ScalarAsync(connection, LastRowId));
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (6, 'after')");
        await using var other = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 0 });
        await using var otherConnection = await other.OpenConnectionAsync();
        Assert.Equal("after", await ScalarAsync(otherConnection, $"SELECT group_concat(v) FROM {table}"));
    }

    [Fact]
    public async Task AStatementThatChangesTheConnectionClosesItsStream()
    {
        await using var dataSource = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 1 });
        var table = await CreateTableAsync(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();
        // Read through the table-valued function: a SELECT, which goes on a kept stream when there is one.
        const string ForeignKeys = "SELECT foreign_keys FROM pragma_foreign_keys()";
        var usual = await ScalarAsync(connection, ForeignKeys);

        await ExecuteAsync(connection, "PRAGMA foreign_keys = OFF");
        Assert.Equal(usual, await ScalarAsync(connection, ForeignKeys));

        // In a transaction too: the stream closes when it ends.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (8, 'x')", transaction);
            await ExecuteAsync(connection, "PRAGMA foreign_keys = OFF", transaction);
            await transaction.CommitAsync();
        }

        Assert.Equal(usual, await ScalarAsync(connection, ForeignKeys));
        Assert.Equal(0L, await ScalarAsync(connection, LastRowId));
    }

    [Fact]
    public async Task StreamsTheServerForgotInARestartAreReplacedWithoutAFailure()
    {
        await using var dataSource = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 4, CircuitFailureThreshold = 0 });
        var table = await CreateTableAsync(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();
        await Task.WhenAll(Enumerable.Range(1, 4).Select(async i =>
        {
            await using var each = await dataSource.OpenConnectionAsync();
            await ExecuteAsync(each, $"INSERT INTO {table} VALUES ({i}, 'before')");
        }));

        await server.RestartAsync();
        Assert.Equal(4L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
        Assert.Equal(1, await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (5, 'autocommit')"));

        await server.RestartAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (6, 'transaction')", transaction);
            await transaction.CommitAsync();
        }

        await server.RestartAsync();
        await using (var transaction = (LibSqlTransaction)await connection.BeginTransactionAsync())
        {
            using (transaction.DeferWrites())
            {
                await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (7, 'deferred')", transaction);
            }

            await transaction.CommitAsync();
        }

        Assert.Equal(7L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task ManyCallersShareAFewStreamsWithoutMixingTheirWork()
    {
        await using var dataSource = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 2 });
        var table = await CreateTableAsync(dataSource);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async caller =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            for (var i = 0; i < 20; i++)
            {
                var id = (caller * 100) + i;
                if (i % 2 == 0)
                {
                    await ExecuteAsync(connection, $"INSERT INTO {table} VALUES ({id}, 'c{caller}')");
                }
                else
                {
                    await using var transaction = await connection.BeginTransactionAsync();
                    await ExecuteAsync(connection, $"INSERT INTO {table} VALUES ({id}, 'c{caller}')", transaction);
                    Assert.Equal(id, Convert.ToInt32(await ScalarAsync(connection, LastRowId, transaction)));
                    await transaction.CommitAsync();
                }
            }
        }));

        await using var check = await dataSource.OpenConnectionAsync();
        Assert.Equal(320L, await ScalarAsync(check, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task ADisposedDataSourceClosesItsIdleStreams()
    {
        // 20 data sources leave 8 idle streams each, 160 in all: past the server's limit of 128 open streams, unless
        // disposing them (synchronously or not) closes them.
        for (var d = 0; d < 20; d++)
        {
            var dataSource = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 8, StreamIdleTimeout = TimeSpan.FromMinutes(1) });
            await using (var first = await dataSource.OpenConnectionAsync())
            {
                await ScalarAsync(first, "SELECT 1");
            }

            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                // Deferred: readers do not wait for each other's lock.
                await using var connection = (LibSqlConnection)await dataSource.OpenConnectionAsync();
                await using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: true);
                await ScalarAsync(connection, "SELECT 1", transaction);
                await Task.Delay(50);
                await transaction.CommitAsync();
            }));

            if (d % 2 == 0)
            {
                dataSource.Dispose();
            }
            else
            {
                await dataSource.DisposeAsync();
            }
        }

        await using var after = server.CreateDataSource(new LibSqlDataSourceOptions { IdleStreams = 0 });
        await OpenStreams.HoldAsync(after, 100);
    }

    /// <summary>A table of its own; the command also confirms Hrana 3, after which commands keep their streams.</summary>
    private static async Task<string> CreateTableAsync(LibSqlDataSource dataSource)
    {
        var table = BackendTestBase.UniqueTable();
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        return table;
    }
}
