using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Net.Http;
using IntentVision.Data;
using IntentVision.Data.Migrations;
using IntentVision.LibSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntentVision.Migrator;

/// <summary>
/// The migrator CLI: <c>status | run | test | rollback</c> over the database the usual configuration names
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

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("IntentVision database migrator.\n" + ExitCodes.HelpText)
        {
            _database, _migrations, _json,
        };
        root.Add(StatusCommand());
        root.Add(RunCommand());
        root.Add(TestCommand());
        root.Add(RollbackCommand());
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
            var result = await runner.RunAsync(parse.GetValue(target), parse.GetValue(dryRun), ct);
            MigratorOutput.WriteRun(output, result, runner.DataSource.Info, parse.GetValue(_json));
            return ExitCodes.Success;
        }, ct));
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
        }, ct));
        return command;
    }

    private async Task<int> WithRunner(ParseResult parse, string commandName, Func<MigrationRunner, Task<int>> action, CancellationToken cancellationToken)
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
            builder.Services.AddSingleton(_ => LibSqlDataSource.Create(IntentVisionDatabase.ResolveConnection(builder.Configuration)));
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton(catalog);
            builder.Services.AddSingleton<MigrationRunner>();

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
        catch (MigrationCatalogException e)
        {
            return Fail(ExitCodes.InvalidInput, e.Message);
        }
        catch (ArgumentException e)
        {
            return Fail(ExitCodes.InvalidInput, e.Message);
        }
        catch (MigrationRefusedException e)
        {
            return Fail(ExitCodes.Refused, e.Message);
        }
        catch (MigrationFailedException e)
        {
            return Fail(ExitCodes.Failed, e.Message);
        }
        catch (HttpRequestException e)
        {
            return Fail(ExitCodes.ConnectionFailed, "Cannot reach the database: " + e.Message);
        }
        catch (DbException e) when (IsConnectionProblem(e))
        {
            return Fail(ExitCodes.ConnectionFailed, "Cannot use the database: " + e.Message);
        }
        catch (DbException e)
        {
            return Fail(ExitCodes.Failed, "The database reported an error: " + e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(ExitCodes.Failed, "Cancelled.");
        }
    }

    private static bool IsConnectionProblem(DbException e) => e is LibSqlException { Code: { } code }
        && (code.StartsWith("HTTP_", StringComparison.Ordinal) || code is "UNAUTHORIZED" or "FORBIDDEN" or "CONNECTION");

    private int Fail(int code, string message)
    {
        error.WriteLine($"error: {message}");
        return code;
    }
}
