using System.Data;
using System.Data.Common;
using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

public abstract class CommandTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    [Fact]
    public async Task AffectedRowsAndLastInsertRowidAreReported()
    {
        var table = UniqueTable();
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v INTEGER)");
        await using var insert = (LibSqlCommand)connection.CreateCommand();
        insert.CommandText = $"INSERT INTO {table} (v) VALUES (1), (2), (3)";
        Assert.Equal(3, await insert.ExecuteNonQueryAsync());
        Assert.Equal(3L, insert.LastInsertRowId);

        Assert.Equal(2, await ExecuteAsync(connection, $"UPDATE {table} SET v = v + 1 WHERE v >= 2"));
        Assert.Equal(-1, await ExecuteAsync(connection, $"SELECT * FROM {table}"));
        Assert.Equal(0, await ExecuteAsync(connection, $"CREATE INDEX ix_{table} ON {table} (v)"));

        // The rowid and the insert share one stream when they share one command text.
        await using var both = connection.CreateCommand();
        both.CommandText = $"INSERT INTO {table} (v) VALUES (10); SELECT last_insert_rowid();";
        Assert.Equal(4L, await both.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AScriptRunsInOneRequestAndEachSelectIsAResultSet()
    {
        var table = UniqueTable();
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            -- a migration-like script
            CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT, updated TEXT);
            CREATE TRIGGER trg_{table} AFTER UPDATE ON {table}
            BEGIN
                UPDATE {table} SET updated = CASE WHEN NEW.name IS NULL THEN 'null' ELSE 'set' END WHERE id = NEW.id;
            END;
            INSERT INTO {table} (id, name) VALUES (1, 'a; b'), (2, 'c');
            SELECT name FROM {table} ORDER BY id;
            UPDATE {table} SET name = NULL WHERE id = 2;
            SELECT id, updated FROM {table} WHERE id = 2;
            """;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("a; b", reader.GetString(0));
        Assert.True(await reader.ReadAsync());
        Assert.False(await reader.ReadAsync());
        Assert.True(await reader.NextResultAsync());
        Assert.Equal(2, reader.FieldCount);
        Assert.True(await reader.ReadAsync());
        Assert.Equal("null", reader.GetString(reader.GetOrdinal("UPDATED")));
        Assert.False(await reader.NextResultAsync());

        // Final once every result set has been read (a file runs the statements as the reader reaches them).
        Assert.Equal(3, reader.RecordsAffected);
    }

    [Fact]
    public async Task AFailingStatementRaisesItsCodeAndTextAndStopsTheScript()
    {
        var table = UniqueTable();
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        var error = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection,
            $"INSERT INTO {table} VALUES (1, 'ok'); INSERT INTO {table} VALUES (2, NULL); INSERT INTO {table} VALUES (3, 'never')"));
        Assert.Equal("SQLITE_CONSTRAINT_NOTNULL", error.Code);
        Assert.Equal(1299, error.ExtendedCode);
        Assert.Equal($"INSERT INTO {table} VALUES (2, NULL)", error.Statement);
        Assert.Contains("NOT NULL", error.Message);
        Assert.Equal(1L, await ScalarAsync(connection, $"SELECT count(*) FROM {table}"));

        var syntax = await Assert.ThrowsAsync<LibSqlException>(() => ExecuteAsync(connection, "SELEKT 1"));
        Assert.NotNull(syntax.Code);
        Assert.Equal("SELEKT 1", syntax.Statement);
    }

    [Fact]
    public async Task TheReaderDescribesItsColumns()
    {
        var table = UniqueTable();
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name VARCHAR(20), score REAL, data BLOB)");
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, name, score, data, 1 + 1 AS two FROM {table}";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.False(reader.HasRows);
        Assert.Equal(5, reader.FieldCount);
        Assert.Equal(["id", "name", "score", "data", "two"], Enumerable.Range(0, 5).Select(reader.GetName));
        Assert.Equal("VARCHAR(20)", reader.GetDataTypeName(1));
        Assert.Equal(typeof(long), reader.GetFieldType(0));
        Assert.Equal(typeof(string), reader.GetFieldType(1));
        Assert.Equal(typeof(double), reader.GetFieldType(2));
        Assert.Equal(typeof(byte[]), reader.GetFieldType(3));
        var schema = reader.GetColumnSchema();
        Assert.Equal("score", schema[2].ColumnName);
        Assert.Equal(typeof(double), schema[2].DataType);
        Assert.True(schema[4].IsExpression);
        var table2 = reader.GetSchemaTable();
        Assert.Equal(5, table2!.Rows.Count);
    }

    [Fact]
    public async Task SyncApiWorksToo()
    {
        using var connection = DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 40 + 2";
        Assert.Equal(42L, command.ExecuteScalar());
        using var reader = command.ExecuteReader(CommandBehavior.CloseConnection);
        Assert.True(reader.Read());
        reader.Close();
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public async Task AClosedConnectionRefusesCommands()
    {
        await using var connection = DataSource.CreateConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        await Assert.ThrowsAsync<InvalidOperationException>(() => command.ExecuteScalarAsync());
    }

    private async Task<DbConnection> OpenAsync() => await DataSource.OpenConnectionAsync();

    private static async Task<int> ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}

[Collection(SqldCollection.Name)]
public sealed class CommandFileTests(SqldServer server) : CommandTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class CommandSqldTests(SqldServer server) : CommandTests(server, TestBackend.Sqld);
