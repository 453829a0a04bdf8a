using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Data.Migrations;

/// <summary>
/// Applies the catalog's migrations to a libSQL database, each in its own transaction together with its
/// <c>_migrations</c> row, so a failure (or a killed process) leaves nothing of that migration behind. A run holds
/// the migration lock (<c>_migrations_lock</c>) from before it reads the state until it is done, so a second
/// migrator waits for the first, then finds nothing left to do; the "already applied?" check is repeated inside each
/// write transaction as well.
/// </summary>
public sealed class MigrationRunner(LibSqlDataSource dataSource, MigrationCatalog catalog, TimeProvider timeProvider)
{
    internal const string LedgerDdl = """
        CREATE TABLE IF NOT EXISTS _migrations (
            version     INTEGER PRIMARY KEY,
            name        TEXT    NOT NULL UNIQUE,
            checksum    TEXT    NOT NULL,
            applied_at  TEXT    NOT NULL,
            duration_ms REAL    NOT NULL DEFAULT 0
        )
        """;

    /// <summary>Tables that belong to the migrator, not to the schema the migrations describe.</summary>
    internal static readonly IReadOnlySet<string> OwnTables = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "_migrations_lock", "_migrator_write_probe" };

    public MigrationCatalog Catalog => catalog;

    public LibSqlDataSource DataSource => dataSource;

    public MigrationLockOptions LockOptions { get; init; } = new();

    /// <summary>Called after each migration applied or reverted, as it happens (the CLI prints a line per step, not all at the end).</summary>
    public Action<MigrationStepResult>? StepCompleted { get; init; }

    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var applied = await ReadAppliedAsync(connection, cancellationToken);
        var holder = await MigrationLock.ReadHolderAsync(connection, cancellationToken);
        return Compose(applied) with { Lock = holder };
    }

    public async Task<MigrationRunResult> RunAsync(int? targetVersion = null, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        if (targetVersion is { } t && catalog.Find(t) is null)
        {
            throw new MigrationRefusedException($"--target {t:000} names no migration in {catalog.Source}.");
        }

        if (dryRun)
        {
            await using var reader = await dataSource.OpenConnectionAsync(cancellationToken);
            var planned = Compose(await ReadAppliedAsync(reader, cancellationToken));
            RefuseOnDisagreement(planned);
            return new MigrationRunResult(
                [.. Pending(planned, targetVersion).Select(m => new MigrationStepResult(m.Version, m.Name, MigrationStepOutcome.Planned, 0, SqlScriptSplitter.Split(m.UpSql).Count))],
                DryRun: true);
        }

        await EnsureOwnTablesAsync(cancellationToken);
        var held = await MigrationLock.AcquireAsync(dataSource, LockOptions, timeProvider, cancellationToken);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var status = Compose(await ReadAppliedAsync(connection, cancellationToken));
            RefuseOnDisagreement(status);

            var steps = new List<MigrationStepResult>();
            foreach (var migration in Pending(status, targetVersion))
            {
                await held.RenewAsync(cancellationToken);
                var step = await ApplyAsync(connection, migration, SqlScriptSplitter.Split(migration.UpSql), cancellationToken);
                steps.Add(step);
                StepCompleted?.Invoke(step);
            }

            return new MigrationRunResult(steps, DryRun: false);
        }
        finally
        {
            await held.ReleaseAsync();
        }
    }

    /// <summary>Reverts the newest applied migrations with their down files, each atomically.</summary>
    public async Task<MigrationRunResult> RollbackAsync(int? steps = null, int? toVersion = null, CancellationToken cancellationToken = default)
    {
        if (steps is < 1)
        {
            throw new MigrationRefusedException($"--steps {steps} must be 1 or more.");
        }

        if (toVersion is < 0)
        {
            throw new MigrationRefusedException($"--to {toVersion} must be 0 (revert everything) or a version.");
        }

        await EnsureOwnTablesAsync(cancellationToken);
        var held = await MigrationLock.AcquireAsync(dataSource, LockOptions, timeProvider, cancellationToken);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var status = Compose(await ReadAppliedAsync(connection, cancellationToken));
            var applied = status.Applied.Concat(status.MissingFiles).OrderByDescending(e => e.Version).ToList();
            var toRevert = toVersion is { } to
                ? applied.Where(e => e.Version > to).ToList()
                : applied.Take(steps ?? 1).ToList();

            foreach (var entry in toRevert)
            {
                var migration = catalog.Find(entry.Version);
                if (migration?.DownSql is null)
                {
                    var notes = migration?.RollbackNotes;
                    throw new MigrationRefusedException(
                        (migration is null
                            ? $"{entry.Name} is applied but its file is gone, so there is no {entry.Name}.down.sql to roll it back with; nothing was reverted."
                            : $"{entry.Name}.sql has no {entry.Name}.down.sql, so it cannot be rolled back automatically; nothing was reverted.") +
                        (notes is null ? string.Empty : $"{Environment.NewLine}The rollback steps written in the migration:{Environment.NewLine}{notes}"));
                }
            }

            var results = new List<MigrationStepResult>();
            foreach (var entry in toRevert)
            {
                await held.RenewAsync(cancellationToken);
                var migration = catalog.Find(entry.Version)!;
                var statements = SqlScriptSplitter.Split(migration.DownSql!);
                var stopwatch = Stopwatch.StartNew();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteStatementsAsync(connection, transaction, migration.Name + ".down.sql", statements, cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM _migrations WHERE version = @Version", new { migration.Version }, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                var step = new MigrationStepResult(migration.Version, migration.Name, MigrationStepOutcome.Applied, stopwatch.Elapsed.TotalMilliseconds, statements.Count);
                results.Add(step);
                StepCompleted?.Invoke(step);
            }

            return new MigrationRunResult(results, DryRun: false);
        }
        finally
        {
            await held.ReleaseAsync();
        }
    }

    /// <summary>
    /// Checks the target's checksums, then applies every migration from zero on a scratch database: a temporary file,
    /// whatever the target is, because a libSQL server offers no scratch database to a client (and Turso's need an
    /// admin API). The file speaks the same SQL dialect. When the target is current, its schema is compared with the
    /// scratch one, which catches changes made outside the migrations.
    /// </summary>
    public async Task<MigrationVerifyResult> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var status = await GetStatusAsync(cancellationToken);
        var folder = Directory.CreateTempSubdirectory("intentvision-verify-");
        var scratchPath = Path.Combine(folder.FullName, "scratch.db");
        try
        {
            var steps = new List<MigrationStepResult>();
            string? failure = null;
            string engine;
            IReadOnlyDictionary<string, string> scratchSchema;
            using (var scratch = LibSqlDataSource.Create("file:" + scratchPath))
            {
                var runner = new MigrationRunner(scratch, catalog, timeProvider) { LockOptions = LockOptions with { Waiting = null } };
                try
                {
                    steps.AddRange((await runner.RunAsync(cancellationToken: cancellationToken)).Steps);
                }
                catch (MigrationFailedException e)
                {
                    failure = e.Message;
                }

                await using var connection = await scratch.OpenConnectionAsync(cancellationToken);
                engine = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT sqlite_version()", cancellationToken: cancellationToken)) ?? "unknown";
                scratchSchema = await ReadSchemaAsync(connection, cancellationToken);
            }

            var differences = new List<string>();
            if (failure is null && status.IsCurrent)
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                var targetSchema = await ReadSchemaAsync(connection, cancellationToken);
                differences.AddRange(scratchSchema.Keys.Except(targetSchema.Keys).Order().Select(k => $"{k} is created by the migrations but missing from the database"));
                differences.AddRange(targetSchema.Keys.Except(scratchSchema.Keys).Order().Select(k => $"{k} is in the database but no migration creates it"));
                differences.AddRange(scratchSchema.Keys.Intersect(targetSchema.Keys).Where(k => scratchSchema[k] != targetSchema[k]).Order()
                    .Select(k => $"{k} differs from what the migrations create"));
            }

            var where = dataSource.Capabilities.InProcess
                ? "a temporary file"
                : "a temporary local file (same SQL dialect; a libSQL server gives a client no scratch database)";
            return new MigrationVerifyResult(status, where, engine, steps, failure, differences);
        }
        finally
        {
            // The scratch data source is disposed above, which closes the file's pooled handles.
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // The OS temp cleaner takes what a lingering handle kept.
            }
        }
    }

    /// <summary>The SQLite version of the engine behind the database (the file's library, or sqld's).</summary>
    public async Task<string> GetEngineVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT sqlite_version()", cancellationToken: cancellationToken)) ?? "unknown";
    }

    /// <summary>Connectivity, engine version, round-trip time, and a write inside a transaction that is rolled back.</summary>
    public async Task<ConnectionTestResult> TestAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
        var stopwatch = Stopwatch.StartNew();
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
        var roundTrip = stopwatch.Elapsed.TotalMilliseconds;
        var version = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT sqlite_version()", cancellationToken: cancellationToken)) ?? "unknown";

        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS _migrator_write_probe (id INTEGER PRIMARY KEY, at TEXT)", transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO _migrator_write_probe (at) VALUES (@At)", new { At = Now() }, transaction, cancellationToken: cancellationToken));
            await transaction.RollbackAsync(cancellationToken);
        }

        var probeLeft = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM sqlite_master WHERE name = '_migrator_write_probe'", cancellationToken: cancellationToken));
        return new ConnectionTestResult(dataSource.Info.Url, dataSource.Backend.ToString(), version, roundTrip, probeLeft == 0);
    }

    private IEnumerable<MigrationScript> Pending(MigrationStatus status, int? targetVersion) =>
        status.Pending.Where(e => targetVersion is null || e.Version <= targetVersion).Select(e => catalog.Find(e.Version)!);

    /// <summary>
    /// Creates the ledger and the lock table when missing. Only then: CREATE ... IF NOT EXISTS is still a write, and a
    /// waiting writer on sqld would end a long migration that another run has in progress.
    /// </summary>
    private async Task EnsureOwnTablesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var existing = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('_migrations', '_migrations_lock')", cancellationToken: cancellationToken))).ToHashSet();
        if (!existing.Contains("_migrations"))
        {
            await connection.ExecuteAsync(new CommandDefinition(LedgerDdl, cancellationToken: cancellationToken));
        }

        if (!existing.Contains("_migrations_lock"))
        {
            await connection.ExecuteAsync(new CommandDefinition(MigrationLock.Ddl, cancellationToken: cancellationToken));
        }
    }

    /// <summary>The schema as (type name) -> CREATE statement, without SQLite's and the migrator's own objects.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> ReadSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Type, string Name, string TableName, string Sql)>(new CommandDefinition(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", cancellationToken: cancellationToken));
        return rows.Where(r => !OwnTables.Contains(r.TableName)).ToDictionary(r => $"{r.Type} {r.Name}", r => r.Sql, StringComparer.Ordinal);
    }

    private async Task<MigrationStepResult> ApplyAsync(DbConnection connection, MigrationScript migration, IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var already = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM _migrations WHERE version = @Version", new { migration.Version }, transaction, cancellationToken: cancellationToken));
        if (already > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new MigrationStepResult(migration.Version, migration.Name, MigrationStepOutcome.AppliedConcurrently, 0, statements.Count);
        }

        await ExecuteStatementsAsync(connection, transaction, migration.FileName, statements, cancellationToken);
        var duration = stopwatch.Elapsed.TotalMilliseconds;
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO _migrations (version, name, checksum, applied_at, duration_ms) VALUES (@Version, @Name, @Checksum, @AppliedAt, @DurationMs)",
            new { migration.Version, migration.Name, migration.Checksum, AppliedAt = Now(), DurationMs = duration },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new MigrationStepResult(migration.Version, migration.Name, MigrationStepOutcome.Applied, duration, statements.Count);
    }

    private static async Task ExecuteStatementsAsync(DbConnection connection, DbTransaction transaction, string fileName, IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        foreach (var statement in statements)
        {
            try
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = statement.Text;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (DbException e)
            {
                await TryRollbackAsync(transaction);
                throw new MigrationFailedException(fileName, statement, e.Message, e);
            }
        }
    }

    private static async Task TryRollbackAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (DbException)
        {
            // The engine may already have rolled back (some errors end the transaction); nothing is left either way.
        }
        catch (InvalidOperationException)
        {
            // Same as above, reported by the provider as a completed transaction.
        }
    }

    private MigrationStatus Compose(IReadOnlyList<AppliedMigration> applied)
    {
        var byVersion = applied.ToDictionary(a => a.Version);
        var entries = new List<MigrationStatusEntry>();
        foreach (var migration in catalog.Migrations)
        {
            if (byVersion.TryGetValue(migration.Version, out var row))
            {
                var state = string.Equals(row.Checksum, migration.Checksum, StringComparison.OrdinalIgnoreCase) ? MigrationState.Applied : MigrationState.Drifted;
                entries.Add(new MigrationStatusEntry(migration.Version, migration.Name, state, row.AppliedAt, row.DurationMs, row.Checksum, migration.Checksum, migration.DownSql is not null));
            }
            else
            {
                entries.Add(new MigrationStatusEntry(migration.Version, migration.Name, MigrationState.Pending, null, null, null, migration.Checksum, migration.DownSql is not null));
            }
        }

        foreach (var row in applied.Where(a => catalog.Find(a.Version) is null))
        {
            entries.Add(new MigrationStatusEntry(row.Version, row.Name, MigrationState.MissingFile, row.AppliedAt, row.DurationMs, row.Checksum, null, false));
        }

        return new MigrationStatus(entries.OrderBy(e => e.Version).ToList(), catalog.Source);
    }

    private static void RefuseOnDisagreement(MigrationStatus status)
    {
        var problems = new List<string>();
        problems.AddRange(status.Drifted.Select(d =>
            $"{d.Name}.sql changed after it was applied (applied checksum {d.AppliedChecksum?[..12]}…, file now {d.FileChecksum?[..12]}…): restore the file as it was applied and put the change in a new migration"));
        problems.AddRange(status.MissingFiles.Select(m =>
            $"{m.Name} is recorded as applied but its file is gone: restore {m.Name}.sql, or roll the database back with a migrator that still has it"));
        if (problems.Count > 0)
        {
            throw new MigrationRefusedException("The migrator refuses to run until this is resolved:" + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", problems));
        }
    }

    private static async Task<IReadOnlyList<AppliedMigration>> ReadAppliedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_migrations'", cancellationToken: cancellationToken));
        if (exists == 0)
        {
            return [];
        }

        var rows = await connection.QueryAsync<LedgerRow>(new CommandDefinition(
            "SELECT version AS Version, name AS Name, checksum AS Checksum, applied_at AS AppliedAt, duration_ms AS DurationMs FROM _migrations ORDER BY version",
            cancellationToken: cancellationToken));
        return rows.Select(r => new AppliedMigration(
            (int)r.Version, r.Name, r.Checksum, DateTimeOffset.Parse(r.AppliedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), r.DurationMs)).ToList();
    }

    private string Now() => timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private sealed class LedgerRow
    {
        public long Version { get; set; }

        public string Name { get; set; } = string.Empty;

        public string Checksum { get; set; } = string.Empty;

        public string AppliedAt { get; set; } = string.Empty;

        public double DurationMs { get; set; }
    }
}
