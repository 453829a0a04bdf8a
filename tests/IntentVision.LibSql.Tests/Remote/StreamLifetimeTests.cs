using System.Diagnostics;
using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>
/// What the server does to streams on its own: expire them after 10 s idle, and hand a waiting writer the lock of a
/// transaction that holds it for ~5 s. Slow by nature, so these run on their own sqld, in parallel with the rest.
/// </summary>
public sealed class StreamLifetimeTests : IClassFixture<SqldServer>, IDisposable
{
    private readonly LibSqlDataSource _dataSource;

    public StreamLifetimeTests(SqldServer server)
    {
        _dataSource = server.CreateDataSource();
    }

    [Fact]
    public async Task AnExpiredStreamFailsTheTransactionWithSTREAMEXPIRED()
    {
        var table = BackendTestBase.UniqueTable();
        await using var connection = await _dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY)");
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1)", transaction);
        await Task.Delay(TimeSpan.FromSeconds(11.5));

        var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (2)", transaction));
        Assert.Equal("STREAM_EXPIRED", error.Code);
        Assert.Equal($"INSERT INTO {table} VALUES (2)", error.Statement);
        var again = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, "SELECT 1", transaction));
        Assert.Equal("STREAM_EXPIRED", again.Code);
        var commit = await Assert.ThrowsAsync<LibSqlException>(() => transaction.CommitAsync());
        Assert.Equal("STREAM_EXPIRED", commit.Code);
        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task ATransactionWhoseLockWasTakenFailsWithTRANSACTIONTIMEOUTAndNeverAutocommits()
    {
        var table = BackendTestBase.UniqueTable();
        await using var holder = await _dataSource.OpenConnectionAsync();
        await using var other = await _dataSource.OpenConnectionAsync();
        await ExecuteAsync(holder, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY)");
        await using var transaction = await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, $"INSERT INTO {table} VALUES (1)", transaction);

        // Another writer waits for the lock; the server gives it away after about 5 s.
        var watch = Stopwatch.StartNew();
        await ExecuteAsync(other, $"INSERT INTO {table} VALUES (100)");
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15));

        var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(holder, $"INSERT INTO {table} VALUES (2)", transaction));
        Assert.Contains(error.Code, new[] { "TRANSACTION_TIMEOUT", "TRANSACTION_ROLLED_BACK" });
        Assert.NotNull(error.Statement);
        await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(holder, $"INSERT INTO {table} VALUES (3)", transaction));
        await Assert.ThrowsAsync<LibSqlException>(() => transaction.CommitAsync());
        Assert.Equal("100", await ScalarAsync(other, $"SELECT group_concat(id) FROM {table}"));
    }

    public void Dispose() => _dataSource.Dispose();
}
