using System.Diagnostics;
using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests;

public abstract class CancellationTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    // A query that keeps the server busy for a few seconds.
    private const string SlowQuery = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 30000000) SELECT count(*) FROM n";

    [Fact]
    public async Task AnAlreadyCancelledTokenSendsNothing()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteScalarAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task CancellingReturnsPromptlyAndATimeoutIsATIMEOUTError()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = SlowQuery;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteScalarAsync(cancellation.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");

        command.CommandTimeout = 1;
        watch.Restart();
        var error = await Assert.ThrowsAsync<LibSqlException>(() => command.ExecuteScalarAsync());
        Assert.Equal("TIMEOUT", error.Code);
        Assert.Equal(SlowQuery, error.Statement);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task ACancelledCommandEndsItsTransactionCleanly()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
        await ScalarAsync(connection, "SELECT 1", transaction);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SlowQuery;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteScalarAsync(cancellation.Token));

        var error = await Assert.ThrowsAsync<LibSqlException>(() => ScalarAsync(connection, "SELECT 2", transaction));
        Assert.Equal("CANCELLED", error.Code);
        await transaction.RollbackAsync();
        Assert.Equal(3L, await ScalarAsync(connection, "SELECT 3"));
    }

}

[Collection(SqldCollection.Name)]
public sealed class CancellationFileTests(SqldServer server) : CancellationTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class CancellationSqldTests(SqldServer server) : CancellationTests(server, TestBackend.Sqld);
