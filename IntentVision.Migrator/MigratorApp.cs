using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Net.Http;
using IntentVision.Data;
using IntentVision.Data.Backup;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntentVision.Migrator;

/// <summary>
/// The migrator CLI: <c>status | run | test | verify | rollback | dump | restore</c> over the database the usual configuration names
/// (connection string <c>intentvision</c>, else <c>INTENTVISION_DB_URL</c> and <c>INTENTVISION_DB_AUTH_TOKEN</c>).
/// </summary>
public sealed class MigratorApp(TextWriter output, TextWriter error)
{
    private static readonly ActivitySource Activity = new("IntentVision.Migrator");

    private readonly Option<string?> _database = new("--database")
    {
        Description = "Database URL or connection string; overrides ConnectionStrings:intentvision and INTENTVISION_DB_URL.",
        Recursive = true,
    };

    private readonly Option<DirectoryInfo?> _migrations = new("--migrations")
    {
        Description = "Read migrations from this folder instead of the ones built into the migrator.",
        Recursive = true,
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print machine-readable JSON instead of text.",
        Recursive = true,
    };

    private readonly Option<int> _lockTimeout = new("--lock-timeout")
    {
        Description = "Seconds to wait for another run holding the migration lock (run, rollback); then exit 6.",
        DefaultValueFactory = _ => 600,
        Recursive = true,
    };

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("IntentVision database migrator.\n" + ExitCodes.HelpText)
        {
            _database, _migrations, _json, _lockTimeout,
        };
        root.Add(StatusCommand());
        root.Add(RunCommand());
        root.Add(TestCommand());
        root.Add(VerifyCommand());
        root.Add(RollbackCommand());
        root.Add(DumpCommand());
        root.Add(RestoreCommand());
        var parse = root.Parse(args);
        return parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private Command StatusCommand()
    {
        var check = new Option<bool>("--check") { Description = "Exit with code 5 when migrations are pending." };
        var command = new Command("status", "Show each migration: applied (when, how long, checksum state) or pending.") { check };
        command.SetAction((parse, ct) => WithRunner(parse, "status", async runner =>
        {
            var status = await runner.GetStatusAsync(ct);
            MigratorOutput.WriteStatus(output, status, runner.DataSource.Info, parse.GetValue(_json));
            return parse.GetValue(check) && !status.IsCurrent ? ExitCodes.Pending : ExitCodes.Success;
        }, ct));
        return command;
    }

    private Command RunCommand()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan without applying anything." };
        var target = new Option<int?>("--target") { Description = "Apply pending migrations up to and including this version (e.g. 003)." };
        var command = new Command("run", "Apply pending migrations in order, each in one transaction.") { dryRun, target };
        command.SetAction((parse, ct) => WithRunner(parse, "run", async runner =>
        {
            var json = parse.GetValue(_json);
            if (!json)
            {
                MigratorOutput.WriteDatabase(output, runner.DataSource.Info);
            }

            var result = await runner.RunAsync(parse.GetValue(target), parse.GetValue(dryRun), ct);
            if (!json && result.DryRun)
            {
                foreach (var step in result.Steps)
                {
                    MigratorOutput.WriteStep(output, step);
                }
            }

            MigratorOutput.WriteRun(output, result, runner.DataSource.Info, json);
            return ExitCodes.Success;
        }, ct, step => MigratorOutput.WriteStep(output, step)));
        return command;
    }

    private Command TestCommand()
    {
        var command = new Command("test", "Connect, run SELECT 1, print the engine version and round-trip time, and try a write in a rolled-back transaction.");
        command.SetAction((parse, ct) => WithRunner(parse, "test", async runner =>
        {
            var result = await runner.TestAsync(ct);
            MigratorOutput.WriteTest(output, result, parse.GetValue(_json));
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private Command VerifyCommand()
    {
        var command = new Command("verify", "Check checksums against the database, apply every migration from zero on a scratch database, and compare the schemas.");
        command.SetAction((parse, ct) => WithRunner(parse, "verify", async runner =>
        {
            var result = await runner.VerifyAsync(ct);
            MigratorOutput.WriteVerify(output, result, runner.DataSource.Info, parse.GetValue(_json));
            return result.ScratchFailure is not null ? ExitCodes.Failed : result.Passed ? ExitCodes.Success : ExitCodes.Refused;
        }, ct));
        return command;
    }

    private Command DumpCommand()
    {
        var file = new Option<FileInfo?>("--output", "-o") { Description = "Write the dump to this file instead of standard output." };
        var command = new Command("dump", "Write the schema and every row as SQL text (like sqlite3's .dump), from a file or a server.") { file };
        command.SetAction((parse, ct) => WithRunner(parse, "dump", async runner =>
        {
            var target = parse.GetValue(file);
            var writer = new SqlDumpWriter(runner.DataSource, TimeProvider.System);
            DumpResult result;
            if (target is null)
            {
                result = await writer.WriteAsync(output, ct);
            }
            else
            {
                // Write beside the target and move it into place, so a failed dump never leaves a half-written file.
                var partial = target.FullName + ".partial";
                await using (var stream = new StreamWriter(partial, append: false, new System.Text.UTF8Encoding(false)))
                {
                    result = await writer.WriteAsync(stream, ct);
                }

                File.Move(partial, target.FullName, overwrite: true);
            }

            // The summary goes to stderr when the dump itself is on stdout.
            MigratorOutput.WriteDump(target is null ? error : output, result, target?.FullName, parse.GetValue(_json));
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private Command RestoreCommand()
    {
        var file = new Argument<string>("dump") { Description = "The dump file to load ('-' reads standard input)." };
        var replace = new Option<bool>("--replace") { Description = "Drop everything in a non-empty target first, in the same transaction as the restore." };
        var command = new Command("restore", "Load a SQL dump into an empty database in one transaction.") { file, replace };
        command.SetAction((parse, ct) => WithRunner(parse, "restore", async runner =>
        {
            var path = parse.GetValue(file)!;
            if (path != "-" && !File.Exists(path))
            {
                throw new ArgumentException($"The dump file {Path.GetFullPath(path)} does not exist.");
            }

            // Streamed: the dump is read as it is restored, never held whole in memory.
            using var dumpFile = path == "-" ? null : new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            var result = await new SqlDumpRestorer(runner.DataSource).RestoreAsync(dumpFile ?? Console.In, path == "-" ? "standard input" : path, parse.GetValue(replace), ct);
            MigratorOutput.WriteRestore(output, result, runner.DataSource.Info, parse.GetValue(_json));
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private Command RollbackCommand()
    {
        var steps = new Option<int?>("--steps") { Description = "How many of the newest applied migrations to revert (default 1)." };
        var to = new Option<int?>("--to") { Description = "Revert every migration newer than this version." };
        var command = new Command("rollback", "Revert applied migrations with their .down.sql files, each atomically.") { steps, to };
        command.SetAction((parse, ct) => WithRunner(parse, "rollback", async runner =>
        {
            var result = await runner.RollbackAsync(parse.GetValue(steps), parse.GetValue(to), ct);
            MigratorOutput.WriteRollback(output, result, parse.GetValue(_json));
            return ExitCodes.Success;
        }, ct, step => MigratorOutput.WriteReverted(output, step)));
        return command;
    }

    /// <param name="stepCompleted">What a text run prints for each migration as it completes (JSON prints once, at the end).</param>
    private async Task<int> WithRunner(ParseResult parse, string commandName, Func<MigrationRunner, Task<int>> action, CancellationToken cancellationToken, Action<MigrationStepResult>? stepCompleted = null)
    {
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                ApplicationName = "IntentVision.Migrator",
                DisableDefaults = false,
                Args = [],
            });
            builder.Logging.ClearProviders();
            builder.AddServiceDefaults();
            var database = parse.GetValue(_database);
            if (!string.IsNullOrWhiteSpace(database))
            {
                builder.Configuration.AddInMemoryCollection([new($"ConnectionStrings:{IntentVisionDatabase.ConnectionStringName}", database)]);
            }

            var migrationsDirectory = parse.GetValue(_migrations);
            var catalog = migrationsDirectory is null ? MigrationCatalog.FromEmbeddedResources() : MigrationCatalog.FromDirectory(migrationsDirectory.FullName);
            // A migration or a restore may run one statement for minutes; the web default of 30 s would cut it off.
            builder.Configuration.AddIntentVisionDatabaseDefaults();
            builder.AddLibSqlDataSource(IntentVisionDatabase.ConnectionStringName, settings =>
            {
                settings.CommandTimeout = TimeSpan.FromHours(1);
                settings.DisableHealthChecks = true;
            });
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton(catalog);
            var lockTimeout = parse.GetValue(_lockTimeout);
            if (lockTimeout < 0)
            {
                throw new ArgumentException($"--lock-timeout {lockTimeout} must be 0 or more seconds.");
            }

            builder.Services.AddSingleton(sp => new MigrationRunner(sp.GetRequiredService<LibSqlDataSource>(), catalog, TimeProvider.System)
            {
                LockOptions = new MigrationLockOptions
                {
                    WaitTimeout = TimeSpan.FromSeconds(lockTimeout),
                    Waiting = holder => error.WriteLine($"waiting for the migration lock held by {holder} (up to {lockTimeout} s)"),
                },
                StepCompleted = parse.GetValue(_json) ? null : stepCompleted,
            });

            // Disposing the host flushes telemetry to the Aspire dashboard before the process exits.
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            using var activity = Activity.StartActivity("migrator " + commandName);
            var runner = host.Services.GetRequiredService<MigrationRunner>();
            activity?.SetTag("db.system", "libsql");
            activity?.SetTag("db.url", runner.DataSource.Info.Url);
            var code = await action(runner);
            activity?.SetTag("exit_code", code);
            await host.StopAsync(CancellationToken.None);
            return code;
        }
        catch (Exception e) when (Classify(e) is { } failure)
        {
            return Fail(failure.Code, failure.Message);
        }
    }

    /// <summary>Which exit code and message a failure gets; anything not listed is a bug and keeps its stack trace.</summary>
    private static (int Code, string Message)? Classify(Exception e) => e switch
    {
        MigrationCatalogException or ArgumentException or IOException => (ExitCodes.InvalidInput, e.Message),
        MigrationRefusedException or BackupRefusedException => (ExitCodes.Refused, e.Message),
        MigrationFailedException { InnerException: DbException inner } when IsConnectionProblem(inner) => (ExitCodes.ConnectionFailed, "Lost the database: " + e.Message),
        MigrationFailedException or RestoreFailedException => (ExitCodes.Failed, e.Message),
        MigrationLockTimeoutException => (ExitCodes.LockTimeout, e.Message),
        HttpRequestException => (ExitCodes.ConnectionFailed, "Cannot reach the database: " + e.Message),
        DbException db when IsConnectionProblem(db) => (ExitCodes.ConnectionFailed, "Cannot use the database: " + e.Message),
        DbException => (ExitCodes.Failed, "The database reported an error: " + e.Message),
        OperationCanceledException => (ExitCodes.Failed, "Cancelled."),
        _ => null,
    };

    /// <summary>
    /// The database cannot be reached or refuses the migrator: the server does not answer (CONNECTION_FAILED, NETWORK_ERROR,
    /// TIMEOUT, HTTP 5xx, an open circuit), it rejects the credentials (HTTP 401/403), or a file cannot be opened.
    /// Everything else the database reports (a full disk, a read-only file, a failing statement) is a failure: exit 1.
    /// </summary>
    private static bool IsConnectionProblem(DbException e) => e is LibSqlException database
        && (database.Kind is LibSqlFailureKind.Unavailable or LibSqlFailureKind.Refused
            || database.PrimaryCode == "SQLITE_CANTOPEN"
            || database.Code is { } code && code.StartsWith("HTTP_", StringComparison.Ordinal));

    private int Fail(int code, string message)
    {
        error.WriteLine($"error: {message}");
        return code;
    }
}
