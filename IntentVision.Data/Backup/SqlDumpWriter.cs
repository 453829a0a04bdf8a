using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Backup;

/// <summary>
/// Writes a database as SQL text, like the sqlite3 shell's <c>.dump</c>: each table's CREATE TABLE and its rows as
/// INSERTs, then AUTOINCREMENT counters, indexes, views and triggers (after the rows, so no trigger fires on restore).
/// The same SELECTs run on a file and on sqld, inside one read transaction, so the dump is one consistent snapshot.
/// Each table is one SELECT in rowid (or primary key) order whose rows are written out as the reader reads them: on a
/// file the statement is stepped, on sqld a table larger than one response streams through a cursor, so memory stays
/// the same whatever the table's size. The <c>_migrations</c> rows are included: a restored database knows its
/// schema state. The migrator's lock row is not.
/// </summary>
public sealed class SqlDumpWriter(LibSqlDataSource dataSource, TimeProvider timeProvider)
{
    /// <summary>Tables whose rows describe a run in progress rather than the database, so they are dumped empty.</summary>
    public static IReadOnlySet<string> TransientTables { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "_migrations_lock" };

    public async Task<DumpResult> WriteAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = DatabaseSchema.BeginRead(connection);
        var version = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT sqlite_version()", transaction: transaction, cancellationToken: cancellationToken)) ?? "unknown";
        var objects = await DatabaseSchema.ReadObjectsAsync(connection, transaction, cancellationToken);
        var virtualTable = objects.FirstOrDefault(o => o.IsVirtualTable);
        if (virtualTable is not null)
        {
            throw new BackupRefusedException($"Table '{virtualTable.Name}' is a virtual table ({virtualTable.Sql.Split('(')[0].Trim()}); dumping virtual tables and their shadow tables is not supported.");
        }

        await output.WriteLineAsync("-- IntentVision SQL dump".AsMemory(), cancellationToken);
        await output.WriteLineAsync($"-- from {dataSource.Info.Url} ({dataSource.Backend}), SQLite {version}, at {timeProvider.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}".AsMemory(), cancellationToken);
        await output.WriteLineAsync("-- Restore with `IntentVision.Migrator restore <file>` (one transaction), or `sqlite3 new.db < <file>`.".AsMemory(), cancellationToken);
        await output.WriteLineAsync("PRAGMA foreign_keys=OFF;".AsMemory(), cancellationToken);
        await output.WriteLineAsync("BEGIN TRANSACTION;".AsMemory(), cancellationToken);

        var tables = new List<TableRowCount>();
        foreach (var table in objects.Where(o => o.IsTable))
        {
            await output.WriteLineAsync((table.Sql + ";").AsMemory(), cancellationToken);
            var rows = TransientTables.Contains(table.Name) ? 0 : await WriteRowsAsync(connection, transaction, table, output, cancellationToken);
            tables.Add(new TableRowCount(table.Name, rows));
        }

        if (await DatabaseSchema.HasSequenceTableAsync(connection, transaction, cancellationToken))
        {
            var sequences = (await connection.QueryAsync<(string Name, long Seq)>(new CommandDefinition(
                "SELECT name, seq FROM sqlite_sequence ORDER BY name", transaction: transaction, cancellationToken: cancellationToken))).ToList();
            if (sequences.Count > 0)
            {
                // AUTOINCREMENT counters, so a restored table never hands out an id it handed out before.
                await output.WriteLineAsync("DELETE FROM sqlite_sequence;".AsMemory(), cancellationToken);
                foreach (var (name, seq) in sequences)
                {
                    await output.WriteLineAsync($"INSERT INTO sqlite_sequence VALUES({SqlLiteral.FormatText(name)},{seq.ToString(CultureInfo.InvariantCulture)});".AsMemory(), cancellationToken);
                }
            }
        }

        // Views before triggers: an INSTEAD OF trigger needs its view.
        foreach (var type in new[] { "index", "view", "trigger" })
        {
            foreach (var item in objects.Where(o => o.Type == type))
            {
                await output.WriteLineAsync((item.Sql + ";").AsMemory(), cancellationToken);
            }
        }

        await output.WriteLineAsync("COMMIT;".AsMemory(), cancellationToken);
        await output.FlushAsync(cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        return new DumpResult(tables, objects.Count(o => o.Type == "index"), objects.Count(o => o.Type == "view"), objects.Count(o => o.Type == "trigger"), version);
    }

    private static async Task<long> WriteRowsAsync(DbConnection connection, DbTransaction transaction, SchemaObject table, TextWriter output, CancellationToken cancellationToken)
    {
        var columns = await DatabaseSchema.ReadColumnsAsync(connection, transaction, table.Name, cancellationToken);
        var columnList = string.Join(",", columns.Select(c => SqlLiteral.QuoteIdentifier(c.Name)));
        var insertPrefix = $"INSERT INTO {SqlLiteral.QuoteIdentifier(table.Name)} ({columnList}) VALUES(";
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = TableScan.For(table, columns).Sql;
        long written = 0;
        var line = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            line.Clear().Append(insertPrefix);
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                line.Append(SqlLiteral.Format(reader.IsDBNull(i) ? null : reader.GetValue(i)));
            }

            await output.WriteLineAsync(line.Append(");"), cancellationToken);
            written++;
        }

        return written;
    }
}
