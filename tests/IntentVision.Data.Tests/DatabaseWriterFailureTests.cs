using System.Diagnostics;
using Dapper;
using IntentVision.Data.Migrations;
using IntentVision.Data.Writing;
using IntentVision.LibSql;

namespace IntentVision.Data.Tests;

/// <summary>
/// How the one writer meets another writer and a database that goes away, on both backends, with real locks and a real
/// server: a write behind another process's short transaction commits once it ends (on the file through the writer's
/// retry after SQLITE_BUSY, since its busy timeout here is shorter than the hold); a write behind a transaction held
/// past the caller's deadline is answered at the deadline with nothing written, and the writer takes writes again once
/// the lock is gone; on sqld, a killed server is answered at once by the open circuit and writes come back by themselves
/// after the restart.
/// </summary>
public abstract class DatabaseWriterFailureTests(TestBackend backend) : DatabaseTestBase(backend)
{
    private static readonly DatabaseWriterOptions Options = new() { WriteTimeout = TimeSpan.FromSeconds(2) };

    private LibSqlDataSource _writerSource = null!;
    private DatabaseWriter _writer = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await new MigrationRunner(Db.DataSource, MigrationCatalog.FromEmbeddedResources(), TimeProvider.System).RunAsync();

        // The writer's process waits only 100 ms for a lock (a file's busy handler): longer holds meet the writer's retry.
        _writerSource = Db.OpenAnother(new LibSqlDataSourceOptions { BusyTimeout = TimeSpan.FromMilliseconds(100) });
        _writer = new DatabaseWriter(_writerSource, TimeProvider.System, Options);
        await _writer.StartAsync(CancellationToken.None);
    }

    public override async Task DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None);
        _writer.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task GroupsKeepTheWritersConnectionUntilOneFailsAndTheNextOpensANewOne()
    {
        // Kept, so its prepared statements are too; closed after a failure, so nothing the failure left on it carries over.
        var first = await _writer.WriteAsync((scope, _) => Task.FromResult(scope.Connection));
        Assert.Same(first, await _writer.WriteAsync((scope, _) => Task.FromResult(scope.Connection)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _writer.WriteAsync<int>((_, _) => throw new InvalidOperationException("a failing unit")));
        var next = await _writer.WriteAsync((scope, _) => Task.FromResult(scope.Connection));
        Assert.NotSame(first, next);
        Assert.Equal(System.Data.ConnectionState.Closed, first.State);
        await InsertAsync("after-a-failure");
        Assert.Equal(1, await CountAsync("after-a-failure"));
    }

    [Fact]
    public async Task AWriteBehindAnotherProcessesShortTransactionCommitsOnceItEnds()
    {
        var other = Db.OpenAnother();
        await using (var holder = await HoldWriteLockAsync(other))
        {
            var write = InsertAsync("behind-short");
            await Task.Delay(700);
            Assert.False(write.IsCompleted, "the write went past another process's open write transaction");
            await holder.CommitAsync();
            await write.WaitAsync(Options.WriteTimeout);
        }

        Assert.Equal(1, await CountAsync("behind-short"));
        Assert.Null(_writer.Status.LastFailure);
    }

    [Fact]
    public async Task AWriteBehindATransactionHeldPastTheDeadlineIsAnsweredAtTheDeadlineWithNothingWritten()
    {
        var other = Db.OpenAnother();
        await using (var holder = await HoldWriteLockAsync(other))
        {
            var waited = Stopwatch.StartNew();
            var timeout = await Assert.ThrowsAsync<WriteTimeoutException>(() => InsertAsync("behind-long"));
            Assert.InRange(waited.Elapsed, Options.WriteTimeout - TimeSpan.FromMilliseconds(100), Options.WriteTimeout + TimeSpan.FromSeconds(1));

            // On the file the writer never got the lock (BEGIN IMMEDIATE waits first), so the unit never ran; on sqld
            // BEGIN travels with the unit's first statement, so the unit was under way and the caller is told so.
            Assert.Equal(Backend == TestBackend.File, timeout.NothingWritten);
            await holder.RollbackAsync();
        }

        // The writer was not wedged by it: the next write commits; the one that timed out was dropped when nothing of it
        // had been written, and otherwise committed at most once (its caller was told it may be applied).
        await InsertAsync("after").WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(1, await CountAsync("after"));
        Assert.InRange(await CountAsync("behind-long"), 0, Backend == TestBackend.File ? 0 : 1);
    }

    protected Task<int> InsertAsync(string id) => _writer.WriteAsync((scope, token) => scope.Connection.ExecuteAsync(new CommandDefinition(
        "INSERT INTO organizations (id, name, created_at) VALUES (@Id, @Id, @Now)", new { Id = id, Now = scope.NowText }, scope.Transaction, cancellationToken: token)));

    protected async Task<long> CountAsync(string id)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM organizations WHERE id = @id", new { id });
    }

    /// <summary>A write transaction of another process that has written, so it holds the lock on either backend.</summary>
    private static async Task<Holder> HoldWriteLockAsync(LibSqlDataSource other)
    {
        var connection = await other.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES ('holder', 'holder', '2026-01-01T00:00:00Z')", transaction: transaction);
        return new Holder(connection, transaction);
    }

    private sealed class Holder(LibSqlConnection connection, LibSqlTransaction transaction) : IAsyncDisposable
    {
        private bool _ended;

        public async Task CommitAsync()
        {
            await transaction.CommitAsync();
            _ended = true;
        }

        public async Task RollbackAsync()
        {
            await transaction.RollbackAsync();
            _ended = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_ended)
            {
                await transaction.DisposeAsync();
            }

            await connection.DisposeAsync();
        }
    }
}

public sealed class DatabaseWriterFailureFileTests() : DatabaseWriterFailureTests(TestBackend.File);

public sealed class DatabaseWriterFailureSqldTests() : DatabaseWriterFailureTests(TestBackend.Sqld)
{
    [Fact]
    public async Task WhileSqldIsDownWritesFailFastAndComeBackByThemselvesAfterItsRestart()
    {
        await InsertAsync("before");
        Db.Server!.Kill();

        // The first write meets the dead server (refused connections are retried until the circuit opens)...
        var first = await Assert.ThrowsAsync<LibSqlException>(() => InsertAsync("during-1"));
        Assert.Equal(LibSqlFailureKind.Unavailable, first.Kind);

        // ...and while the circuit is open, the next is refused at once, without a request.
        var waited = Stopwatch.StartNew();
        var open = await Assert.ThrowsAsync<LibSqlException>(() => InsertAsync("during-2"));
        Assert.Equal(LibSqlException.CircuitOpenCode, open.Code);
        Assert.True(waited.Elapsed < TimeSpan.FromMilliseconds(500), $"an open circuit answered in {waited.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(open.RetryAfter > TimeSpan.Zero);

        await Db.Server.RestartAsync();
        var recovered = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await InsertAsync("after");
                break;
            }
            catch (LibSqlException e) when (e.Kind == LibSqlFailureKind.Unavailable && recovered.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(1, await CountAsync("before"));
        Assert.Equal(1, await CountAsync("after"));
        Assert.Equal(0, await CountAsync("during-1") + await CountAsync("during-2"));
    }
}
