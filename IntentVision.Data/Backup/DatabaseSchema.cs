using System.Data.Common;
using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Backup;

/// <summary>Reads what a dump needs to know about a database, with plain SELECTs that work on a file and on sqld alike.</summary>
internal static class DatabaseSchema
{
    /// <summary>Tables, indexes, views and triggers in creation order; SQLite's own objects (<c>sqlite_%</c>) and automatic indexes are left out.</summary>
    public static async Task<IReadOnlyList<SchemaObject>> ReadObjectsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Type, string Name, string TableName, string Sql)>(new CommandDefinition(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
            transaction: transaction,
            cancellationToken: cancellationToken));
        return rows.Select(r => new SchemaObject(r.Type, r.Name, r.TableName, r.Sql)).ToList();
    }

    public static async Task<IReadOnlyList<TableColumn>> ReadColumnsAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        // hidden: 0 a stored column, 1 hidden (virtual tables), 2/3 generated: only stored columns take values on INSERT.
        var rows = await connection.QueryAsync<(string Name, long Hidden, long Pk)>(new CommandDefinition(
            "SELECT name, hidden, pk FROM pragma_table_xinfo(@Table) ORDER BY cid",
            new { Table = table },
            transaction,
            cancellationToken: cancellationToken));
        return rows.Where(r => r.Hidden == 0).Select(r => new TableColumn(r.Name, (int)r.Pk)).ToList();
    }

    public static async Task<bool> HasSequenceTableAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'", transaction: transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>
    /// A read transaction, so every page of every table comes from one snapshot while writers carry on (WAL).
    /// <c>BEGIN DEFERRED</c> takes no write lock, which matters on sqld, where a waiting writer makes the server end
    /// another stream's write transaction.
    /// </summary>
    public static LibSqlTransaction BeginRead(LibSqlConnection connection) =>
        connection.BeginTransaction(System.Data.IsolationLevel.Unspecified, deferred: true);
}
