using System.Data;
using System.Globalization;
using System.Text;
using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests;

/// <summary>
/// Readers over large results, on both backends: a file's reader steps the statement, a server's streams the rows
/// through a Hrana cursor. What comes out must be the same, row for row and type for type, and a reader must be
/// able to stop, fail or share its transaction half-way through. The results here are larger than sqld puts in one
/// response (10 MB; a <see cref="Filler"/> column sees to it), which is when a server's reader streams
/// (Remote/CursorTests shows the requests).
/// </summary>
public abstract class StreamingReaderTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    private const int Rows = 30_000;

    /// <summary>4,000 characters per row: 3,000 rows make a result larger than sqld's 10 MB response limit.</summary>
    private const string Filler = "hex(zeroblob(2000))";

    // Never ends: a reader that buffered its result would never return from ExecuteReader.
    private const string Endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x, 'row ' || x, " + Filler + " FROM n";

    [Fact]
    public async Task ALargeResultArrivesCompleteWithEveryStorageClass()
    {
        var table = await CreateFilledTableAsync(Rows);
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, big, f, t, b, maybe, pad FROM {table} ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(reader.HasRows);
        Assert.Equal(["id", "big", "f", "t", "b", "maybe", "pad"], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        var count = 0;
        while (await reader.ReadAsync())
        {
            count++;
            var id = reader.GetInt64(0);
            Assert.Equal(count, id);
            Assert.Equal(Big(id), reader.GetInt64(1));
            Assert.Equal(id * 0.25, reader.GetDouble(2));
            Assert.Equal($"row {id} é✓", reader.GetString(3));
            Assert.Equal(Encoding.UTF8.GetBytes($"blob {id}"), (byte[])reader.GetValue(4));
            if (id % 3 == 0)
            {
                Assert.True(await reader.IsDBNullAsync(5));
                Assert.Equal(DBNull.Value, reader.GetValue(5));
            }
            else
            {
                Assert.Equal(-id, reader.GetFieldValue<long>(5));
            }

            Assert.Equal(400, reader.GetString(6).Length);
        }

        Assert.Equal(Rows, count);
        Assert.False(await reader.NextResultAsync());
    }

    [Fact]
    public async Task TheExtremesOfEveryTypeSurviveTheStream()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 9223372036854775807, -9223372036854775808, 9007199254740993, 1.7976931348623157e308, 5e-324, -0.0, '', x'', NULL, x'00ff10', char(0, 10, 13) || '\"\\'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(long.MaxValue, reader.GetInt64(0));
        Assert.Equal(long.MinValue, reader.GetInt64(1));
        Assert.Equal(9007199254740993L, reader.GetInt64(2));
        Assert.Equal(double.MaxValue, reader.GetDouble(3));
        Assert.Equal(double.Epsilon, reader.GetDouble(4));
        Assert.Equal(typeof(double), reader.GetFieldType(5));
        Assert.Equal(string.Empty, reader.GetString(6));
        Assert.Empty((byte[])reader.GetValue(7));
        Assert.True(reader.IsDBNull(8));
        Assert.Equal(new byte[] { 0, 255, 16 }, (byte[])reader.GetValue(9));
        Assert.Equal("\0\n\r\"\\", reader.GetString(10));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task SeveralStatementsGiveOneResultSetEachInOrder()
    {
        var table = await CreateFilledTableAsync(5_000);
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT count(*) AS n FROM {table};
            SELECT id, {Filler} FROM {table} ORDER BY id;
            SELECT id FROM {table} WHERE id < 0;
            SELECT t, {Filler} FROM {table} ORDER BY id DESC;
            SELECT 'last' AS word
            """;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(5_000L, reader.GetInt64(0));
        Assert.False(await reader.ReadAsync());

        Assert.True(await reader.NextResultAsync());
        Assert.Equal("id", reader.GetName(0));
        long sum = 0;
        while (await reader.ReadAsync())
        {
            sum += reader.GetInt64(0);
        }

        Assert.Equal(5_000L * 5_001 / 2, sum);

        Assert.True(await reader.NextResultAsync());
        Assert.False(reader.HasRows);
        Assert.False(await reader.ReadAsync());

        // Left after two rows: the rest of this set is skipped on the way to the next.
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal("row 5000 é✓", reader.GetString(0));
        Assert.True(reader.Read());
        Assert.True(reader.NextResult());
        Assert.Equal("word", reader.GetName(0));
        Assert.True(reader.Read());
        Assert.Equal("last", reader.GetString(0));
        Assert.False(reader.NextResult());
    }

    [Fact]
    public async Task ASynchronousReaderStreamsTheSameRows()
    {
        var table = await CreateFilledTableAsync(4_000);
        using var connection = DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, t, {Filler} FROM {table} ORDER BY id";
        using var reader = command.ExecuteReader();
        var count = 0;
        while (reader.Read())
        {
            count++;
            Assert.Equal($"row {count} é✓", reader.GetString(1));
        }

        Assert.Equal(4_000, count);
    }

    [Fact]
    public async Task ASynchronousReaderInATransactionLetsOtherCommandsInAndCloses()
    {
        var table = await CreateFilledTableAsync(3_500);
        using var connection = DataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var update = new LibSqlCommand($"UPDATE {table} SET maybe = 7 WHERE id = 2", connection, transaction))
        {
            Assert.Equal(1, update.ExecuteNonQuery());
        }

        using (var command = new LibSqlCommand($"SELECT id, maybe, {Filler} FROM {table} ORDER BY id", connection, transaction))
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.True(reader.Read());
            Assert.Equal(7L, reader.GetInt64(1));
            using (var delete = new LibSqlCommand($"DELETE FROM {table} WHERE id = 1", connection, transaction))
            {
                Assert.Equal(1, delete.ExecuteNonQuery());
            }

            Assert.True(reader.Read());
            Assert.Equal(3L, reader.GetInt64(0));
        }

        using (var half = new LibSqlCommand($"SELECT id, {Filler} FROM {table} ORDER BY id", connection, transaction))
        using (var reader = half.ExecuteReader())
        {
            Assert.True(reader.Read());
        }

        transaction.Commit();
        using var count = new LibSqlCommand($"SELECT count(*) FROM {table}", connection);
        Assert.Equal(3_499L, count.ExecuteScalar());
    }

    [Fact]
    public async Task AnEndlessQueryYieldsRowsAndStopsWhenTheReaderIsDisposed()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        for (var round = 0; round < 3; round++)
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = Endless;
                await using var reader = await command.ExecuteReaderAsync();
                for (var i = 1; i <= 20_000; i++)
                {
                    Assert.True(await reader.ReadAsync());
                    Assert.Equal(i, reader.GetInt64(0));
                }
            }

            Assert.Equal(1L, await ScalarAsync(connection, "SELECT 1"));
        }
    }

    [Fact]
    public async Task AStatementThatFailsMidResultThrowsALibSqlExceptionAfterItsGoodRows()
    {
        const string sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 10000) SELECT CASE WHEN x < 5000 THEN x ELSE abs(-9223372036854775807 - 1) END, " + Filler + " FROM n";
        await using var connection = await DataSource.OpenConnectionAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            var read = 0;
            var error = await Assert.ThrowsAsync<LibSqlException>(async () =>
            {
                while (await reader.ReadAsync())
                {
                    read++;
                }
            });
            Assert.Equal(4999, read);
            Assert.Contains("integer overflow", error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.Code);
            Assert.Equal(sql, error.Statement);
        }

        Assert.Equal(2L, await ScalarAsync(connection, "SELECT 2"));
    }

    [Fact]
    public async Task AMissingTableFailsExecuteReaderItself()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM no_such_table_here";
        var error = await Assert.ThrowsAsync<LibSqlException>(() => command.ExecuteReaderAsync());
        Assert.Contains("no such table", error.Message, StringComparison.Ordinal);
        Assert.Equal(command.CommandText, error.Statement);
    }

    [Fact]
    public async Task ACancelledReadThrowsAndTheConnectionGoesOn()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Endless;
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(cancelled.Token));
        }

        Assert.Equal(3L, await ScalarAsync(connection, "SELECT 3"));
    }

    [Fact]
    public async Task AReaderThatTimesOutBeforeItsFirstRowIsATimeoutError()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000000) SELECT max(x) FROM n";
        command.CommandTimeout = 1;
        var error = await Assert.ThrowsAsync<LibSqlException>(() => command.ExecuteReaderAsync());
        Assert.Equal("TIMEOUT", error.Code);
        Assert.Equal(4L, await ScalarAsync(connection, "SELECT 4"));
    }

    [Fact]
    public async Task AReaderInATransactionSeesItsOwnWritesAndTheTransactionGoesOn()
    {
        var table = await CreateFilledTableAsync(0);
        var log = UniqueTable("log");
        await using var connection = await DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {log} (id INTEGER PRIMARY KEY, seen INTEGER NOT NULL)");
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, InsertRows(table, 4_000), transaction);
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT id, {Filler} FROM {table} ORDER BY id";
                await using var reader = await command.ExecuteReaderAsync();
                var read = 0;
                while (await reader.ReadAsync())
                {
                    read++;
                    Assert.Equal(read, reader.GetInt64(0));
                    if (read % 1_000 == 0)
                    {
                        // Another command of the transaction while the reader is half-way: both go on.
                        await ExecuteAsync(connection, $"INSERT INTO {log} (seen) VALUES ({read})", transaction);
                    }
                }

                Assert.Equal(4_000, read);
            }

            Assert.Equal(4L, await ScalarAsync(connection, $"SELECT count(*) FROM {log}", transaction));
            await transaction.CommitAsync();
        }

        await using var other = await CreateDataSource().OpenConnectionAsync();
        Assert.Equal(4_000L, await ScalarAsync(other, $"SELECT count(*) FROM {table}"));
        Assert.Equal("1000,2000,3000,4000", await ScalarAsync(other, $"SELECT group_concat(seen) FROM (SELECT seen FROM {log} ORDER BY id)"));
    }

    [Fact]
    public async Task AReaderThatOpensATransactionBeginsIt()
    {
        // On sqld the transaction's BEGIN travels with its first command, here one whose result the pipeline refuses.
        var table = await CreateFilledTableAsync(3_000);
        await using var connection = await DataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT id, {Filler} FROM {table} ORDER BY id";
                await using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.Equal(1L, reader.GetInt64(0));
            }

            await ExecuteAsync(connection, $"DELETE FROM {table} WHERE id > 10", transaction);
            Assert.Equal(10L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}", transaction));
            await transaction.RollbackAsync();
        }

        Assert.Equal(3_000L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task CommittingWithAReaderOpenKeepsItsRowsReadable()
    {
        var table = await CreateFilledTableAsync(3_000);
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"UPDATE {table} SET maybe = 0 WHERE id = 1", transaction);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT id, maybe, {Filler} FROM {table} ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(0L, reader.GetInt64(1));
        await transaction.CommitAsync();
        var read = 1;
        while (await reader.ReadAsync())
        {
            read++;
        }

        Assert.Equal(3_000, read);
    }

    [Fact]
    public async Task ABatchReaderStreamsEachCommandsRows()
    {
        var table = await CreateFilledTableAsync(4_000);
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        batch.BatchCommands.Add($"SELECT id, {Filler} FROM {table} WHERE id <= ? ORDER BY id", 3_500L);
        batch.BatchCommands.Add($"SELECT count(*) FROM {table} WHERE maybe IS NULL");
        await using var reader = await batch.ExecuteReaderAsync();
        var read = 0;
        while (await reader.ReadAsync())
        {
            read++;
        }

        Assert.Equal(3_500, read);
        Assert.True(await reader.NextResultAsync());
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1_333L, reader.GetInt64(0));
    }

    /// <summary>A value above 2^53, so a float on the way would show.</summary>
    private static long Big(long id) => 9_007_199_254_740_993L + (id * 1_000_003L);

    private static string InsertRows(string table, int rows) => string.Create(CultureInfo.InvariantCulture, $"""
        INSERT INTO {table} (id, big, f, t, b, maybe, pad)
        SELECT x, 9007199254740993 + x * 1000003, x * 0.25, 'row ' || x || ' é✓', CAST('blob ' || x AS BLOB), CASE WHEN x % 3 = 0 THEN NULL ELSE -x END, hex(zeroblob(200))
        FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {rows}) SELECT x FROM n WHERE {rows} > 0)
        """);

    private async Task<string> CreateFilledTableAsync(int rows)
    {
        var table = UniqueTable("big");
        await using var connection = await DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, big INTEGER NOT NULL, f REAL NOT NULL, t TEXT NOT NULL, b BLOB NOT NULL, maybe INTEGER, pad TEXT NOT NULL)");
        if (rows > 0)
        {
            await ExecuteAsync(connection, InsertRows(table, rows));
        }

        return table;
    }
}

[Collection(SqldCollection.Name)]
public sealed class StreamingReaderFileTests(SqldServer server) : StreamingReaderTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class StreamingReaderSqldTests(SqldServer server) : StreamingReaderTests(server, TestBackend.Sqld);
