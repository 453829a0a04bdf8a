using IntentVision.TestSupport;
using static IntentVision.LibSql.Tests.TransactionTests;

namespace IntentVision.LibSql.Tests;

/// <summary>
/// A batch of single-row upserts, the way to write many rows fast on either backend: a server gets multi-row upserts
/// (values shared by every row sent once), a file steps one prepared statement re-binding only what changed.
/// </summary>
public abstract class UpsertBatchTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    private const string Upsert = "INSERT INTO {0} (series, ts, value, source) VALUES (@series, @ts, @value, @source) ON CONFLICT (series, ts) DO UPDATE SET value = excluded.value, source = excluded.source";

    [Fact]
    public async Task UpsertsInsertNewRowsAndReplaceExistingOnesCountingEachCommand()
    {
        var table = await CreateTableAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"INSERT INTO {table} VALUES (1, 5, -1.0, 'old'), (1, 7, -1.0, 'old')");

        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        var series = new LibSqlParameter("series", 1L);
        var source = new LibSqlParameter("source", "api");
        for (var ts = 0; ts < 3000; ts++)
        {
            var command = new LibSqlBatchCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, Upsert, table));
            command.Parameters.Add(series);
            command.Parameters.Add(source);
            command.Parameters.AddWithValue("ts", ts);
            command.Parameters.AddWithValue("value", ts * 0.5);
            batch.BatchCommands.Add(command);
        }

        Assert.Equal(3000, await batch.ExecuteNonQueryAsync());
        Assert.All(batch.BatchCommands, c => Assert.Equal(1, c.RecordsAffected));
        await transaction.CommitAsync();

        Assert.Equal(3000L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
        Assert.Equal(3.5, await ScalarAsync(connection, $"SELECT value FROM {table} WHERE series = 1 AND ts = 7"));
        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM {table} WHERE source <> 'api' OR value <> ts * 0.5"));
    }

    [Fact]
    public async Task ValuesThatChangeFromRowToRowAreNeverTakenForShared()
    {
        var table = await CreateTableAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        batch.Atomic = true;
        var rows = new (long Series, long Ts, double Value, string? Source)[]
        {
            (1, 1, 1.0, "a"),
            (1, 2, 1.0, new string('a', 1)),
            (2, 2, 1.0, "a"),
            (2, 3, 2.0, null),
            (2, 3, 3.0, "b"),
        };
        foreach (var (s, ts, value, src) in rows)
        {
            var command = new LibSqlBatchCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, Upsert, table));
            command.Parameters.AddWithValue("series", s);
            command.Parameters.AddWithValue("ts", ts);
            command.Parameters.AddWithValue("value", value);
            command.Parameters.AddWithValue("source", (object?)src ?? DBNull.Value);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();

        await using var query = new LibSqlCommand($"SELECT series, ts, value, coalesce(source, '-') FROM {table} ORDER BY series, ts", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var stored = new List<string>();
        while (await reader.ReadAsync())
        {
            stored.Add($"{reader.GetInt64(0)}/{reader.GetInt64(1)}/{reader.GetDouble(2)}/{reader.GetString(3)}");
        }

        Assert.Equal(["1/1/1/a", "1/2/1/a", "2/2/1/a", "2/3/3/b"], stored);
    }

    [Fact]
    public async Task RowsWhoseParametersComeInAnotherOrderOrTextBindTheirOwnValues()
    {
        var table = await CreateTableAsync();
        var upsert = string.Format(System.Globalization.CultureInfo.InvariantCulture, Upsert, table);
        var delete = $"DELETE FROM {table} WHERE series = @series AND ts = @ts";
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        batch.Atomic = true;
        void Add(string sql, params (string Name, object? Value)[] parameters)
        {
            var command = new LibSqlBatchCommand(sql);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            batch.BatchCommands.Add(command);
        }

        Add(upsert, ("series", 1L), ("ts", 1L), ("value", 1.5), ("source", "a"));
        Add(upsert, ("ts", 2L), ("series", 1L), ("source", "b"), ("value", 2.5));
        Add(upsert, ("series", 1L), ("ts", 3L), ("value", 3.5), ("source", "c"), ("unused", 0));
        Add(delete, ("series", 1L), ("ts", 1L));
        Add(upsert, ("series", 2L), ("ts", 1L), ("value", 4.5), ("source", "d"));
        await batch.ExecuteNonQueryAsync();

        Assert.Equal("1/2/2.5/b,1/3/3.5/c,2/1/4.5/d", await ScalarAsync(connection, $"SELECT group_concat(series || '/' || ts || '/' || value || '/' || source, ',') FROM (SELECT * FROM {table} ORDER BY series, ts)"));
    }

    [Fact]
    public async Task AConnectionKeptOpenRunsMoreDistinctTextsThanItKeepsPrepared()
    {
        // The database writer keeps one connection from group to group, and meets one-off texts as well as its own.
        var table = await CreateTableAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        var upsert = string.Format(System.Globalization.CultureInfo.InvariantCulture, Upsert, table);
        for (var i = 0; i < 600; i++)
        {
            await using var write = new LibSqlCommand(upsert, connection);
            write.Parameters.AddWithValue("series", 1);
            write.Parameters.AddWithValue("ts", i);
            write.Parameters.AddWithValue("value", i * 0.5);
            write.Parameters.AddWithValue("source", "api");
            Assert.Equal(1, await write.ExecuteNonQueryAsync());

            // Open while the next texts are prepared: a statement in use is never dropped from under its reader.
            await using var open = new LibSqlCommand($"SELECT ts FROM {table} WHERE ts <= {i} ORDER BY ts", connection);
            await using var reader = await open.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((long)i, await ScalarAsync(connection, $"SELECT {i} AS distinct_text_{i}"));
            Assert.Equal(0L, reader.GetInt64(0));
        }

        Assert.Equal(600L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));
    }

    private async Task<string> CreateTableAsync()
    {
        var table = UniqueTable();
        await using var connection = await DataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (series INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, source TEXT, PRIMARY KEY (series, ts))");
        return table;
    }
}

[Collection(SqldCollection.Name)]
public sealed class UpsertBatchFileTests(SqldServer server) : UpsertBatchTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class UpsertBatchSqldTests(SqldServer server) : UpsertBatchTests(server, TestBackend.Sqld);
