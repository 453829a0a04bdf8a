using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
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
            output.WriteLine($"  {state} {entry.Name,-40} {when,-20} {duration}");
        }

        var pending = status.Pending.Count();
        output.WriteLine(status.IsCurrent
            ? $"up to date: {status.Applied.Count()} applied"
            : $"{status.Applied.Count()} applied, {pending} pending, {status.Drifted.Count()} drifted, {status.MissingFiles.Count()} missing file");
    }

    public static void WriteRun(TextWriter output, MigrationRunResult result, LibSqlConnectionInfo database, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { database = database.Url, result.DryRun, applied = result.AppliedCount, steps = result.Steps }, Json));
            return;
        }

        output.WriteLine($"database: {database.Url} ({database.Backend})");
        if (result.Steps.Count == 0)
        {
            output.WriteLine("nothing to do: the schema is current");
            return;
        }

        foreach (var step in result.Steps)
        {
            output.WriteLine(step.Outcome switch
            {
                MigrationStepOutcome.Planned => $"  would apply {step.Name} ({step.StatementCount} statements)",
                MigrationStepOutcome.AppliedConcurrently => $"  skipped     {step.Name}: another migrator applied it meanwhile",
                _ => $"  applied     {step.Name} ({step.StatementCount} statements, {step.DurationMs:0.0} ms)",
            });
        }

        output.WriteLine(result.DryRun ? $"dry run: {result.Steps.Count} to apply, nothing changed" : $"done: {result.AppliedCount} applied");
    }

    public static void WriteRollback(TextWriter output, MigrationRunResult result, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { reverted = result.Steps }, Json));
            return;
        }

        foreach (var step in result.Steps)
        {
            output.WriteLine($"  reverted {step.Name} ({step.StatementCount} statements, {step.DurationMs:0.0} ms)");
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
}
