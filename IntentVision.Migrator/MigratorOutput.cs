using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntentVision.Data.Backup;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;

namespace IntentVision.Migrator;

/// <summary>How each command reports: aligned text for a terminal, or JSON with --json for scripts.</summary>
internal static class MigratorOutput
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void WriteStatus(TextWriter output, MigrationStatus status, LibSqlConnectionInfo database, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                database = database.Url,
                backend = database.Backend.ToString(),
                source = status.Source,
                current = status.IsCurrent,
                lastAppliedAt = status.LastAppliedAt,
                totalDurationMs = status.TotalDurationMs,
                @lock = status.Lock,
                migrations = status.Entries,
            }, Json));
            return;
        }

        output.WriteLine($"database: {database.Url} ({database.Backend})");
        output.WriteLine($"migrations: {status.Source}");
        foreach (var entry in status.Entries)
        {
            var when = entry.AppliedAt?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? string.Empty;
            var duration = entry.DurationMs is { } d ? $"{d,8:0.0} ms" : string.Empty;
            var state = entry.State switch
            {
                MigrationState.Applied => "applied ",
                MigrationState.Pending => "pending ",
                MigrationState.Drifted => "DRIFTED ",
                _ => "NO FILE ",
            };
            var checksum = entry.State switch
            {
                MigrationState.Applied => "checksum ok",
                MigrationState.Drifted => "checksum CHANGED",
                MigrationState.MissingFile => "file gone",
                _ => string.Empty,
            };
            output.WriteLine($"  {state} {entry.Name,-40} {when,-20} {duration,11}  {checksum}");
        }

        if (status.Lock is { } holder)
        {
            output.WriteLine($"lock: held by {holder}");
        }

        var pending = status.Pending.Count();
        output.WriteLine(status.IsCurrent
            ? $"up to date: {status.Applied.Count()} applied"
            : $"{status.Applied.Count()} applied, {pending} pending, {status.Drifted.Count()} drifted, {status.MissingFiles.Count()} missing file");
    }

    /// <summary>The first line of a text run, printed before anything is applied.</summary>
    public static void WriteDatabase(TextWriter output, LibSqlConnectionInfo database) =>
        output.WriteLine($"database: {database.Url} ({database.Backend})");

    /// <summary>One migration of a text run, printed as soon as it is applied (or planned).</summary>
    public static void WriteStep(TextWriter output, MigrationStepResult step) =>
        output.WriteLine(step.Outcome switch
        {
            MigrationStepOutcome.Planned => $"  would apply {step.Name} ({step.StatementCount} statements)",
            MigrationStepOutcome.AppliedConcurrently => $"  skipped     {step.Name}: another migrator applied it meanwhile",
            _ => $"  applied     {step.Name} ({step.StatementCount} statements, {step.DurationMs:0.0} ms)",
        });

    /// <summary>One migration of a text rollback, printed as soon as it is reverted.</summary>
    public static void WriteReverted(TextWriter output, MigrationStepResult step) =>
        output.WriteLine($"  reverted {step.Name} ({step.StatementCount} statements, {step.DurationMs:0.0} ms)");

    /// <summary>The end of a run: JSON with every step, or (text) the last line; the steps were printed as they happened.</summary>
    public static void WriteRun(TextWriter output, MigrationRunResult result, LibSqlConnectionInfo database, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { database = database.Url, result.DryRun, applied = result.AppliedCount, steps = result.Steps }, Json));
            return;
        }

        if (result.Steps.Count == 0)
        {
            output.WriteLine("nothing to do: the schema is current");
            return;
        }

        output.WriteLine(result.DryRun ? $"dry run: {result.Steps.Count} to apply, nothing changed" : $"done: {result.AppliedCount} applied");
    }

    /// <summary>The end of a rollback: JSON with every step, or (text) the last line.</summary>
    public static void WriteRollback(TextWriter output, MigrationRunResult result, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { reverted = result.Steps }, Json));
            return;
        }

        output.WriteLine($"done: {result.Steps.Count} reverted");
    }

    public static void WriteTest(TextWriter output, ConnectionTestResult result, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(result, Json));
            return;
        }

        output.WriteLine($"database:   {result.Url} ({result.Backend})");
        output.WriteLine("SELECT 1:   ok");
        output.WriteLine($"engine:     SQLite {result.EngineVersion}");
        output.WriteLine($"round trip: {result.RoundTripMs:0.000} ms");
        output.WriteLine($"write:      {(result.WriteRolledBack ? "ok (in a transaction, rolled back)" : "FAILED: the probe write was not rolled back")}");
    }

    public static void WriteVerify(TextWriter output, MigrationVerifyResult result, LibSqlConnectionInfo database, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                database = database.Url,
                passed = result.Passed,
                checksumProblems = result.ChecksumProblems,
                scratch = new { database = result.ScratchDatabase, engineVersion = result.ScratchEngineVersion, steps = result.ScratchSteps, failure = result.ScratchFailure },
                schemaDifferences = result.SchemaDifferences,
            }, Json));
            return;
        }

        output.WriteLine($"database: {database.Url} ({database.Backend})");
        output.WriteLine(result.ChecksumProblems.Count == 0 ? $"checksums: ok ({result.Status.Applied.Count()} applied)" : "checksums: PROBLEMS");
        foreach (var problem in result.ChecksumProblems)
        {
            output.WriteLine($"  - {problem}");
        }

        output.WriteLine(result.ScratchFailure is null
            ? $"from zero: ok, {result.ScratchSteps.Count} migrations applied on {result.ScratchDatabase} (SQLite {result.ScratchEngineVersion})"
            : $"from zero: FAILED on {result.ScratchDatabase}: {result.ScratchFailure}");
        if (!result.Status.IsCurrent)
        {
            output.WriteLine("schema: not compared (the database is not current)");
        }
        else if (result.ScratchFailure is null)
        {
            output.WriteLine(result.SchemaDifferences.Count == 0 ? "schema: identical to what the migrations create" : "schema: DIFFERS from what the migrations create");
            foreach (var difference in result.SchemaDifferences)
            {
                output.WriteLine($"  - {difference}");
            }
        }

        output.WriteLine(result.Passed ? "verify: passed" : "verify: FAILED");
    }

    public static void WriteDump(TextWriter output, DumpResult result, string? file, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { file, result.Tables, result.TotalRows, result.Indexes, result.Views, result.Triggers, result.EngineVersion }, Json));
            return;
        }

        output.WriteLine($"dumped {result.Tables.Count} tables, {result.TotalRows} rows, {result.Indexes} indexes, {result.Views} views, {result.Triggers} triggers{(file is null ? string.Empty : " to " + file)}");
    }

    public static void WriteRestore(TextWriter output, RestoreResult result, LibSqlConnectionInfo database, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { database = database.Url, result.Statements, result.Tables, result.TotalRows, result.ReplacedObjects, result.DurationMs }, Json));
            return;
        }

        output.WriteLine($"database: {database.Url} ({database.Backend})");
        foreach (var table in result.Tables)
        {
            output.WriteLine($"  {table.Table,-40} {table.Rows,12} rows");
        }

        output.WriteLine($"restored {result.Statements} statements, {result.TotalRows} rows in one transaction ({result.DurationMs:0} ms)" +
                         (result.ReplacedObjects > 0 ? $"; replaced {result.ReplacedObjects} tables and views" : string.Empty));
    }
}
