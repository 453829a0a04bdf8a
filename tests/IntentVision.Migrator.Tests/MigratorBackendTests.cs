using System.Diagnostics;
using System.Text.Json;
using Dapper;
using IntentVision.Data.Backup;

namespace IntentVision.Migrator.Tests;

/// <summary>
/// The CLI against each backend (<see cref="MigratorFileTests"/>, <see cref="MigratorSqldTests"/>): in-process for
/// the commands, and as real child processes for a SIGKILL in the middle of a migration and two migrators at once.
/// </summary>
public abstract class MigratorBackendTests(TestBackend backend) : IAsyncLifetime
{
    /// <summary>About 3 s of CPU in one statement, after a first statement that wrote: long enough to be killed inside.</summary>
    private const string LongMigration = """
        -- A long migration: a table, some rows, then one slow statement.
        CREATE TABLE big (n INTEGER);
        INSERT INTO big (n) VALUES (1), (2), (3);
        INSERT INTO big (n) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 7000000) SELECT x FROM c WHERE x % 1000000 = 0;
        """;

    private TestDatabase? _db;

    protected TestBackend Backend { get; } = backend;

    private TestDatabase Db => _db!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync(Backend);

    public async Task DisposeAsync() => await Db.DisposeAsync();

    [Fact]
    public async Task RunStatusVerifyAndRerunOnTheRealSchema()
    {
        Assert.Equal(ExitCodes.Pending, (await Run("status", "--check")).Code);
        var run = await Run("run");
        Assert.Equal(ExitCodes.Success, run.Code);
        Assert.Contains("applied     001_initial_schema", run.Output);
        Assert.Contains("nothing to do", (await Run("run")).Output);

        var status = await Run("status", "--check");
        Assert.Equal(ExitCodes.Success, status.Code);
        Assert.Matches(@"applied\s+001_initial_schema .* checksum ok", status.Output);

        var verify = await Run("verify");
        Assert.Equal(ExitCodes.Success, verify.Code);
        var count = Data.Migrations.MigrationCatalog.FromEmbeddedResources().Migrations.Count;
        Assert.Contains($"from zero: ok, {count} migrations applied", verify.Output);
        Assert.Contains("schema: identical", verify.Output);

        var json = await Run("verify", "--json");
        using var document = JsonDocument.Parse(json.Output);
        Assert.True(document.RootElement.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task TestReportsTheBackendEngineAndARolledBackWrite()
    {
        var (code, output, _) = await Run("test");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Matches(@"engine:\s+SQLite 3\.\d+", output);
        Assert.Contains(Backend == TestBackend.File ? "(EmbeddedFile)" : "(Remote)", output);
        Assert.Contains("ok (in a transaction, rolled back)", output);
    }

    [Fact]
    public async Task DumpToAFileAndRestoreIntoAFreshDatabaseThenRefuseASecondRestoreWithoutReplace()
    {
        Assert.Equal(ExitCodes.Success, (await Run("run")).Code);
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES ('acme', 'Acme ''Ünïcode'' 😀', '2026-01-01T00:00:00Z')");
        }

        var file = Path.Combine(Db.Directory, "backup.sql");
        var dump = await Run("dump", "--output", file);
        Assert.Equal(ExitCodes.Success, dump.Code);
        Assert.Contains("dumped", dump.Output);
        Assert.Contains("INSERT INTO \"organizations\"", await File.ReadAllTextAsync(file));

        await using var target = await TestDatabase.CreateAsync(Backend);
        var restore = await RunOn(target.ConnectionString, "restore", file);
        Assert.Equal(ExitCodes.Success, restore.Code);
        Assert.Contains("in one transaction", restore.Output);
        Assert.Equal(await DatabaseFingerprint.ComputeAsync(Db.DataSource), await DatabaseFingerprint.ComputeAsync(target.DataSource));
        Assert.Equal(ExitCodes.Success, (await RunOn(target.ConnectionString, "status", "--check")).Code);

        var again = await RunOn(target.ConnectionString, "restore", file);
        Assert.Equal(ExitCodes.Refused, again.Code);
        Assert.Contains("--replace", again.Error);
        Assert.Equal(ExitCodes.Success, (await RunOn(target.ConnectionString, "restore", file, "--replace")).Code);
    }

    [Fact]
    public async Task DumpToStdoutIsPureSql()
    {
        Assert.Equal(ExitCodes.Success, (await Run("run")).Code);
        var (code, output, error) = await Run("dump");
        Assert.Equal(ExitCodes.Success, code);
        Assert.StartsWith("-- IntentVision SQL dump", output);
        Assert.EndsWith("COMMIT;" + Environment.NewLine, output);
        Assert.Contains("dumped", error);
    }

    [Fact]
    public async Task RollbackWithoutADownFileExits3AndPrintsTheWrittenSteps()
    {
        var folder = Folder(("001_a.sql", "-- Rollback: DROP TABLE a;\nCREATE TABLE a (x);"), ("002_b.sql", "CREATE TABLE b (x);"), ("002_b.down.sql", "DROP TABLE b;"));
        Assert.Equal(ExitCodes.Success, (await Run("run", "--migrations", folder)).Code);
        Assert.Equal(ExitCodes.Success, (await Run("rollback", "--migrations", folder)).Code);
        var refused = await Run("rollback", "--migrations", folder, "--to", "0");
        Assert.Equal(ExitCodes.Refused, refused.Code);
        Assert.Contains("DROP TABLE a;", refused.Error);
        Assert.Equal(ExitCodes.Success, (await Run("run", "--migrations", folder, "--target", "2")).Code);
    }

    [Fact]
    public async Task ALockHeldElsewhereExits6NamingTheHolder()
    {
        var folder = Folder(("001_a.sql", "CREATE TABLE a (x);"));
        await using (var connection = await Db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                CREATE TABLE _migrations_lock (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL,
                    process_started_at TEXT NOT NULL, acquired_at TEXT NOT NULL, expires_at TEXT NOT NULL)
                """);
            await connection.ExecuteAsync(
                "INSERT INTO _migrations_lock VALUES (1, 'ci-runner:77:beef', 'ci-runner', 77, @at, @at, @until)",
                new { at = DateTimeOffset.UtcNow.ToString("O"), until = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O") });
        }

        var (code, _, error) = await Run("run", "--migrations", folder, "--lock-timeout", "1");
        Assert.Equal(ExitCodes.LockTimeout, code);
        Assert.Contains("waiting for the migration lock held by ci-runner:77:beef", error);
        Assert.Contains("Another migrator run holds the lock: ci-runner:77:beef", error);
    }

    [Fact]
    public async Task AMigratorKilledInTheMiddleOfALongMigrationLeavesNothingAndTheNextRunCompletes()
    {
        var folder = Folder(("001_base.sql", "CREATE TABLE base (x);\nINSERT INTO base VALUES (1);"), ("002_long.sql", LongMigration));
        using (var child = MigratorProcess.Start("run", "--database", Db.ConnectionString, "--migrations", folder))
        {
            // Once 001 is committed and the lock is held, 002's transaction is open and busy in its slow statement.
            var deadline = Stopwatch.StartNew();
            while (await CountAsync("SELECT count(*) FROM sqlite_master WHERE name = '_migrations'") == 0
                   || await CountAsync("SELECT count(*) FROM _migrations WHERE version = 1") == 0)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the migrator never applied 001: " + child.Output);
                await Task.Delay(50);
            }

            await Task.Delay(1000);
            child.Kill();
            Assert.DoesNotContain("002_long", child.Output);
        }

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM _migrations"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM sqlite_master WHERE name = 'big'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM _migrations_lock"));

        var next = await Run("run", "--migrations", folder, "--lock-timeout", "60");
        Assert.True(next.Code == ExitCodes.Success, next.Error);
        Assert.Contains("applied     002_long", next.Output);
        Assert.Equal(10, await CountAsync("SELECT count(*) FROM big"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM _migrations_lock"));
    }

    [Fact]
    public async Task TwoMigratorProcessesStartedAtOnceApplyEachMigrationExactlyOnce()
    {
        var files = Enumerable.Range(1, 4).Select(i => ($"{i:000}_step_{i}.sql",
            $"CREATE TABLE t{i} (x);\nINSERT INTO t{i} WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000) SELECT {i} FROM c WHERE x = 1;")).ToArray();
        var folder = Folder(files);
        using var first = MigratorProcess.Start("run", "--database", Db.ConnectionString, "--migrations", folder);
        using var second = MigratorProcess.Start("run", "--database", Db.ConnectionString, "--migrations", folder);
        var codes = await Task.WhenAll(first.WaitAsync(TimeSpan.FromSeconds(90)), second.WaitAsync(TimeSpan.FromSeconds(90)));
        Assert.True(codes.All(c => c == ExitCodes.Success), first.Output + "\n----\n" + second.Output);

        Assert.Equal(4, await CountAsync("SELECT count(*) FROM _migrations"));
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(1, await CountAsync($"SELECT count(*) FROM t{i}"));
        }

        var applied = (first.Output + second.Output).Split('\n').Count(l => l.TrimStart().StartsWith("applied ", StringComparison.Ordinal));
        Assert.Equal(4, applied);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private string Folder(params (string Name, string Content)[] files)
    {
        var folder = System.IO.Directory.CreateDirectory(Path.Combine(Db.Directory, "migrations-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), content);
        }

        return folder;
    }

    private Task<(int Code, string Output, string Error)> Run(params string[] args) => RunOn(Db.ConnectionString, args);

    private static async Task<(int Code, string Output, string Error)> RunOn(string url, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await new MigratorApp(output, error).RunAsync([.. args, "--database", url]);
        return (code, output.ToString(), error.ToString());
    }
}
