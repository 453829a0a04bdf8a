using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Dapper;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;

namespace IntentVision.Data.Backup;

/// <summary>
/// Loads a SQL dump (ours, the sqlite3 shell's <c>.dump</c>, or sqld's <c>GET /dump</c>) into a database in one
/// transaction: either all of it is there afterwards or none of it. The dump's own BEGIN/COMMIT and
/// <c>PRAGMA foreign_keys</c> are skipped because the restorer owns the transaction; foreign keys are checked at
/// COMMIT (<c>PRAGMA defer_foreign_keys</c>) so tables may arrive in any order. A database that already holds tables
/// is refused unless <c>replace</c> is set; then everything in it is dropped first, inside the same transaction.
/// The dump is read as a stream and its statements go in batches of a bounded size as they are cut: on sqld each batch
/// is one request inside the interactive transaction, on a file one statement after the other on the same connection.
/// </summary>
public sealed partial class SqlDumpRestorer(LibSqlDataSource dataSource)
{
    /// <summary>Statements per batch (one request to sqld); a batch is also cut at <see cref="MaxBatchChars"/>.</summary>
    public int BatchSize { get; init; } = 500;

    public int MaxBatchChars { get; init; } = 512 * 1024;

    public Task<RestoreResult> RestoreAsync(string dump, string sourceName, bool replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dump);
        return RestoreAsync(new StringReader(dump), sourceName, replace, cancellationToken);
    }

    /// <summary>
    /// Restores the dump read from <paramref name="dump"/> as it arrives: statements are cut and sent batch by batch, so
    /// memory holds one batch, not the dump. A dump found broken part way (unterminated at the end, a failing
    /// statement, no CREATE at all) rolls back everything it ran.
    /// </summary>
    public async Task<RestoreResult> RestoreAsync(TextReader dump, string sourceName, bool replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dump);
        var stopwatch = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var existing = await DatabaseSchema.ReadObjectsAsync(connection, null, cancellationToken);
        RefuseUnlessEmpty(existing, replace);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var replaced = 0;
        try
        {
            await ExecuteAsync(connection, transaction, "PRAGMA defer_foreign_keys = ON", cancellationToken);

            // Read again inside the write transaction: another writer may have created something since the check above.
            existing = await DatabaseSchema.ReadObjectsAsync(connection, transaction, cancellationToken);
            RefuseUnlessEmpty(existing, replace);
            replaced = await DropAllAsync(connection, transaction, existing, cancellationToken);

            var (run, creates, read) = await RunBatchedAsync(connection, transaction, dump, sourceName, cancellationToken);
            if (creates == 0)
            {
                throw new BackupRefusedException($"{sourceName} creates nothing: it is not a dump (no CREATE statement among its {read} statements).");
            }

            var tables = await CountRowsAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RestoreResult(run, tables, replaced, stopwatch.Elapsed.TotalMilliseconds);
        }
        catch (DbException e)
        {
            // A deferred foreign key violation surfaces only here, at COMMIT.
            await TryRollbackAsync(transaction);
            throw new RestoreFailedException(sourceName, null, e.Message, e);
        }
        catch
        {
            await TryRollbackAsync(transaction);
            throw;
        }
    }

    private static void RefuseUnlessEmpty(IReadOnlyList<SchemaObject> existing, bool replace)
    {
        if (existing.Count > 0 && !replace)
        {
            var names = string.Join(", ", existing.Where(o => o.IsTable).Take(5).Select(o => o.Name));
            throw new BackupRefusedException(
                $"The target database is not empty ({existing.Count(o => o.IsTable)} tables: {names}{(existing.Count(o => o.IsTable) > 5 ? ", ..." : string.Empty)}). " +
                "Restore into an empty database, or pass --replace to drop everything in it first (in the same transaction as the restore).");
        }
    }

    private static async Task<int> DropAllAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SchemaObject> existing, CancellationToken cancellationToken)
    {
        // Views first (they may name tables), then tables newest first, so children usually go before their parents;
        // indexes and triggers go with their tables. defer_foreign_keys keeps the parent-first cases legal too.
        var dropped = 0;
        foreach (var view in existing.Where(o => o.Type == "view").Reverse())
        {
            await ExecuteAsync(connection, transaction, "DROP VIEW IF EXISTS " + SqlLiteral.QuoteIdentifier(view.Name), cancellationToken);
            dropped++;
        }

        foreach (var table in existing.Where(o => o.IsTable).Reverse())
        {
            await ExecuteAsync(connection, transaction, "DROP TABLE IF EXISTS " + SqlLiteral.QuoteIdentifier(table.Name), cancellationToken);
            dropped++;
        }

        if (await DatabaseSchema.HasSequenceTableAsync(connection, transaction, cancellationToken))
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM sqlite_sequence", cancellationToken);
        }

        return dropped;
    }

    /// <summary>Runs the dump's statements (less its own transaction control) in batches as they are read.</summary>
    private async Task<(int Run, int Creates, int Read)> RunBatchedAsync(LibSqlConnection connection, LibSqlTransaction transaction, TextReader dump, string sourceName, CancellationToken cancellationToken)
    {
        var batch = new List<SqlStatement>(BatchSize);
        var chars = 0;
        var (run, creates, read) = (0, 0, 0);
        try
        {
            await foreach (var statement in SqlScriptSplitter.ReadAsync(dump, cancellationToken).ConfigureAwait(false))
            {
                read++;
                if (Skipped().IsMatch(statement.Text))
                {
                    continue;
                }

                if (batch.Count >= BatchSize || (chars > 0 && chars + statement.Text.Length > MaxBatchChars))
                {
                    await RunBatchAsync(connection, transaction, batch, sourceName, cancellationToken);
                    batch.Clear();
                    chars = 0;
                }

                batch.Add(statement);
                chars += statement.Text.Length;
                run++;
                creates += statement.Text.StartsWith("CREATE", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
            }
        }
        catch (SqlScriptException e)
        {
            throw new BackupRefusedException($"{sourceName} is not a complete SQL dump: {e.Message}");
        }

        await RunBatchAsync(connection, transaction, batch, sourceName, cancellationToken);
        return (run, creates, read);
    }

    private static async Task RunBatchAsync(LibSqlConnection connection, LibSqlTransaction transaction, List<SqlStatement> statements, string sourceName, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return;
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(statement.Text);
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (LibSqlException e)
        {
            // The server names the failing statement's text; find it in this batch for its number and line.
            var failed = statements.FirstOrDefault(s => string.Equals(s.Text, e.Statement, StringComparison.Ordinal));
            throw new RestoreFailedException(sourceName, failed, e.Message, e);
        }
    }

    private static async Task<IReadOnlyList<TableRowCount>> CountRowsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var counts = new List<TableRowCount>();
        foreach (var table in (await DatabaseSchema.ReadObjectsAsync(connection, transaction, cancellationToken)).Where(o => o.IsTable))
        {
            var rows = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM " + SqlLiteral.QuoteIdentifier(table.Name), transaction: transaction, cancellationToken: cancellationToken));
            counts.Add(new TableRowCount(table.Name, rows));
        }

        return counts;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task TryRollbackAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (DbException)
        {
            // The engine or server already ended the transaction; nothing of the restore remains either way.
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>The dump's own transaction control and foreign-key switch: the restorer does both itself.</summary>
    [GeneratedRegex(@"^\s*(BEGIN(\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(\s+TRANSACTION)?|COMMIT(\s+TRANSACTION)?|END(\s+TRANSACTION)?|ROLLBACK(\s+TRANSACTION)?|PRAGMA\s+foreign_keys\s*=\s*\w+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Skipped();
}
