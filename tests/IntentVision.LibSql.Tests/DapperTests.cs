using System.Data.Common;
using Dapper;
using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

/// <summary>Repository-style Dapper code, unchanged, on a file and on sqld.</summary>
public abstract class DapperTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    public enum Severity
    {
        Low = 1,
        High = 3,
    }

    // Settable properties: Dapper maps SQLite's TEXT dates and INTEGER flags onto them (not onto positional constructors).
    public sealed record Metric
    {
        public long Id { get; init; }

        public string Series { get; init; } = string.Empty;

        public DateTime Ts { get; init; }

        public double Value { get; init; }

        public bool Anomalous { get; init; }

        public Severity Severity { get; init; }

        public string? Note { get; init; }

        public byte[]? Raw { get; init; }
    }

    [Fact]
    public async Task CrudQueryMultipleInListsAndTransactions()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var table = UniqueTable("metrics");
        await connection.ExecuteAsync($"""
            CREATE TABLE {table} (
                id INTEGER PRIMARY KEY, series TEXT NOT NULL, ts TEXT NOT NULL, value REAL NOT NULL,
                anomalous INTEGER NOT NULL, severity INTEGER NOT NULL, note TEXT, raw BLOB);
            CREATE INDEX ix_{table}_series_ts ON {table} (series, ts);
            """);

        var start = new DateTime(2025, 1, 1, 0, 0, 0);
        var metrics = Enumerable.Range(1, 50)
            .Select(i => new Metric
            {
                Id = i,
                Series = i % 2 == 0 ? "cpu" : "mem",
                Ts = start.AddMinutes(i),
                Value = i * 1.5,
                Anomalous = i % 10 == 0,
                Severity = i % 3 == 0 ? Severity.High : Severity.Low,
                Note = i % 5 == 0 ? null : $"n{i}",
                Raw = i % 7 == 0 ? [(byte)i] : null,
            })
            .ToList();
        const string Insert = "INSERT INTO {0} (id, series, ts, value, anomalous, severity, note, raw) VALUES (@Id, @Series, @Ts, @Value, @Anomalous, @Severity, @Note, @Raw)";
        Assert.Equal(50, await connection.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Insert, table), metrics));

        var cpu = (await connection.QueryAsync<Metric>(
            $"SELECT id, series, ts, value, anomalous, severity, note, raw FROM {table} WHERE series = @series AND ts >= @from ORDER BY ts",
            new { series = "cpu", from = start.AddMinutes(10) })).AsList();
        Assert.Equal(metrics.Where(m => m.Series == "cpu" && m.Ts >= start.AddMinutes(10)).Select(m => m.Id), cpu.Select(m => m.Id));
        var ten = cpu.Single(m => m.Id == 10);
        Assert.Equal(metrics[9] with { Raw = null }, ten with { Raw = null });
        Assert.Null(ten.Note);
        Assert.Equal(Severity.Low, ten.Severity);
        Assert.True(ten.Anomalous);
        Assert.Equal([(byte)14], cpu.Single(m => m.Id == 14).Raw!);

        Assert.Equal(3, await connection.ExecuteScalarAsync<int>($"SELECT count(*) FROM {table} WHERE id IN @ids", new { ids = new[] { 1, 2, 3, 999 } }));
        var first = await connection.QuerySingleOrDefaultAsync<Metric>($"SELECT * FROM {table} WHERE id = @id", new { id = 1L });
        Assert.NotNull(first);
        Assert.Null(await connection.QuerySingleOrDefaultAsync<Metric>($"SELECT * FROM {table} WHERE id = @id", new { id = -1 }));

        using (var grid = await connection.QueryMultipleAsync($"SELECT count(*) FROM {table}; SELECT max(value) FROM {table}; SELECT note FROM {table} WHERE id < 3 ORDER BY id"))
        {
            Assert.Equal(50L, await grid.ReadSingleAsync<long>());
            Assert.Equal(75.0, await grid.ReadSingleAsync<double>());
            Assert.Equal(["n1", "n2"], await grid.ReadAsync<string>());
        }

        await using (DbTransaction transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync($"UPDATE {table} SET note = 'changed' WHERE id = @id", new { id = 1 }, transaction);
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE id > @max", new { max = 40 }, transaction);
            await transaction.RollbackAsync();
        }

        Assert.Equal(50L, await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}"));
        Assert.Equal("n1", connection.QuerySingle<string>($"SELECT note FROM {table} WHERE id = 1"));

        var aggregates = connection.Query<(string Series, long N, double Avg)>($"SELECT series, count(*), avg(value) FROM {table} GROUP BY series ORDER BY series").AsList();
        Assert.Equal(("cpu", 25L), (aggregates[0].Series, aggregates[0].N));
        var id = await connection.ExecuteScalarAsync<long>($"INSERT INTO {table} (series, ts, value, anomalous, severity) VALUES ('new', @ts, 1, 0, 1); SELECT last_insert_rowid();", new { ts = start });
        Assert.Equal(51L, id);
    }
}

[Collection(SqldCollection.Name)]
public sealed class DapperFileTests(SqldServer server) : DapperTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class DapperSqldTests(SqldServer server) : DapperTests(server, TestBackend.Sqld);
