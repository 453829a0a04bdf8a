using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests;

/// <summary>A failure reads the same whichever backend raised it: the code, SQLite's extended code, the statement.</summary>
public abstract class ErrorTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    public static TheoryData<string, string, int> Violations => new()
    {
        { "INSERT INTO {0} (id, name, score, parent) VALUES (2, 'one', 1, NULL)", "SQLITE_CONSTRAINT_UNIQUE", 2067 },
        { "INSERT INTO {0} (id, name, score, parent) VALUES (2, NULL, 1, NULL)", "SQLITE_CONSTRAINT_NOTNULL", 1299 },
        { "INSERT INTO {0} (id, name, score, parent) VALUES (2, 'two', -1, NULL)", "SQLITE_CONSTRAINT_CHECK", 275 },
        { "INSERT INTO {0} (id, name, score, parent) VALUES (2, 'two', 1, 99)", "SQLITE_CONSTRAINT_FOREIGNKEY", 787 },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task AConstraintViolationCarriesTheSameCodeOnBothBackends(string sql, string code, int extendedCode)
    {
        var table = UniqueTable();
        await using var connection = await DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, score INTEGER CHECK (score >= 0), parent INTEGER REFERENCES {table} (id))");
        await ExecuteAsync(connection, $"INSERT INTO {table} (id, name, score) VALUES (1, 'one', 1)");
        var statement = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, table);

        var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, statement));

        Assert.Equal(code, error.Code);
        Assert.Equal(extendedCode, error.ExtendedCode);
        Assert.Equal("SQLITE_CONSTRAINT", error.PrimaryCode);
        Assert.Equal(statement, error.Statement);
        Assert.False(error.IsTransient);
        Assert.Equal(LibSqlFailureKind.Statement, error.Kind);
        Assert.StartsWith("SQLite error: ", error.Message);
    }

    [Fact]
    public async Task AnUnknownTableIsAnErrorNamingTheStatement()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, "SELECT * FROM no_such_table"));
        Assert.Contains("no such table", error.Message);
        Assert.Equal("SELECT * FROM no_such_table", error.Statement);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task CapabilitiesSayWhatTheDatabaseAccepts()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(Backend == TestBackend.File, connection.Capabilities.InProcess);
        if (connection.Capabilities.Vacuum)
        {
            await ExecuteAsync(connection, "VACUUM");
        }
        else
        {
            await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, "VACUUM"));
        }

        if (connection.Capabilities.TemporaryTables)
        {
            await ExecuteAsync(connection, "CREATE TEMP TABLE scratch (x)");
        }
        else
        {
            await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, "CREATE TEMP TABLE scratch (x)"));
        }
    }
}

[Collection(SqldCollection.Name)]
public sealed class ErrorFileTests(SqldServer server) : ErrorTests(server, TestBackend.File)
{
    [Fact]
    public async Task AWriterBlockedPastTheBusyTimeoutGetsATransientSqliteBusy()
    {
        var table = UniqueTable();
        var impatient = CreateDataSource(new LibSqlDataSourceOptions { BusyTimeout = TimeSpan.FromMilliseconds(100) });
        await using var holder = await DataSource.OpenConnectionAsync();
        await ExecuteAsync(holder, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY)");
        await using var transaction = await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, $"INSERT INTO {table} VALUES (1)", transaction);

        await using var blocked = await impatient.OpenConnectionAsync();
        var error = Assert.Throws<LibSqlException>(() => blocked.BeginTransaction());
        Assert.Equal("SQLITE_BUSY", error.PrimaryCode);
        Assert.True(error.IsTransient);
        Assert.Equal(LibSqlFailureKind.Busy, error.Kind);
        Assert.Null(blocked.Transaction);

        await transaction.CommitAsync();
        await using var after = await blocked.BeginTransactionAsync();
        await ExecuteAsync(blocked, $"INSERT INTO {table} VALUES (2)", after);
        await after.CommitAsync();
        Assert.Equal(2L, await ScalarAsync(blocked, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task AFullDatabaseIsAStorageFailureAndRollsBackOnlyTheStatement()
    {
        // SQLite's page limit raises what a full disk raises (SQLITE_FULL).
        var table = UniqueTable();
        await using var connection = await DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (b BLOB)");
        await ExecuteAsync(connection, "PRAGMA max_page_count = 1");

        var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, $"INSERT INTO {table} VALUES (zeroblob(1000000))"));

        Assert.Equal("SQLITE_FULL", error.PrimaryCode);
        Assert.Equal(LibSqlFailureKind.Storage, error.Kind);
        Assert.False(error.IsTransient);
        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }
}

[Collection(SqldCollection.Name)]
public sealed class ErrorSqldTests(SqldServer server) : ErrorTests(server, TestBackend.Sqld)
{
    [Fact]
    public async Task AServerNobodyListensOnIsUnavailableAndOpensTheCircuitAfterThreeFailures()
    {
        using var dataSource = LibSqlDataSource.Create($"http://127.0.0.1:{LoopbackPort.Free()}", null, new LibSqlDataSourceOptions { CircuitBreakDuration = TimeSpan.FromSeconds(30) });

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            var refused = await Assert.ThrowsAsync<LibSqlException>(() => ScalarAsync(connection, "SELECT 1"));
            Assert.Equal(LibSqlFailureKind.Unavailable, refused.Kind);
            Assert.True(refused.RequestNotSent, refused.Code);
            Assert.True(refused.IsTransient);
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        await using var again = await dataSource.OpenConnectionAsync();
        var open = await Assert.ThrowsAsync<LibSqlException>(() => ScalarAsync(again, "SELECT 1"));
        Assert.Equal(LibSqlException.CircuitOpenCode, open.Code);
        Assert.Equal(LibSqlFailureKind.Unavailable, open.Kind);
        Assert.InRange(open.RetryAfter!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        Assert.Throws<LibSqlException>(dataSource.ThrowIfCircuitOpen);
        Assert.True(waited.Elapsed < TimeSpan.FromMilliseconds(200), $"an open circuit answered in {waited.Elapsed.TotalMilliseconds:0} ms");
    }
}
