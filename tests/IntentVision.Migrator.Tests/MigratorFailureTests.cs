using System.Diagnostics;
using System.Runtime.Versioning;
using Dapper;
using IntentVision.TestSupport.Faults;

namespace IntentVision.Migrator.Tests;

/// <summary>
/// The migrator's exit code for each failure class a deployment meets, with real faults: a server that is not there
/// (4), one that refuses the credentials (4), one killed in the middle of a migration (4, and the next run completes),
/// a full database or disk (1, nothing of the migration kept, and the run after space is freed applies it), a read-only file (1). Each prints one line naming the cause, never
/// a stack trace. (Invalid input 2, refusals 3, pending 5 and a held lock 6 are in <see cref="MigratorCliTests"/> and
/// <see cref="MigratorBackendTests"/>.)
/// </summary>
public sealed class MigratorFailureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("intentvision-migrator-fail-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AServerThatIsNotThereExits4()
    {
        var (code, output, error) = await Run("run", "--database", $"http://127.0.0.1:{LoopbackPort.Free()}");

        Assert.Equal(ExitCodes.ConnectionFailed, code);
        Assert.Contains("error: Cannot use the database", error);
        AssertNoStackTrace(output + error);
    }

    [Fact]
    public async Task AServerThatRefusesTheCredentialsExits4()
    {
        await using var sqld = await SqldServer.StartAsync(requireAuth: true);

        var (code, output, error) = await Run("status", "--database", sqld.Url);

        Assert.Equal(ExitCodes.ConnectionFailed, code);
        Assert.Contains("answered 401 Unauthorized", error);
        AssertNoStackTrace(output + error);
    }

    [Fact]
    public async Task ASqldKilledInTheMiddleOfAMigrationExits4AndTheNextRunAppliesIt()
    {
        await using var sqld = await SqldServer.StartAsync(requireAuth: true);
        var folder = Folder(
            ("001_base.sql", "CREATE TABLE base (x);\nINSERT INTO base VALUES (1);"),
            ("002_long.sql", "CREATE TABLE big (n INTEGER);\nINSERT INTO big (n) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000) SELECT x FROM c WHERE x % 1000000 = 0;"));
        using var child = MigratorProcess.Start("run", "--database", sqld.ConnectionString, "--migrations", folder);

        // The first step is printed as soon as it is applied, while the second still runs (output is not held back).
        var waited = Stopwatch.StartNew();
        while (!child.Output.Contains("applied     001_base", StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "001 was never reported applied: " + child.Output);
            await Task.Delay(50);
        }

        await Task.Delay(500);
        sqld.Kill();
        var code = await child.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ExitCodes.ConnectionFailed, code);
        Assert.Contains("error: Lost the database", child.Output);
        Assert.DoesNotContain("applied     002_long", child.Output);
        AssertNoStackTrace(child.Output);

        await sqld.RestartAsync();
        var next = await Run("run", "--database", sqld.ConnectionString, "--migrations", folder, "--lock-timeout", "60");
        Assert.True(next.Code == ExitCodes.Success, next.Error);
        Assert.Contains("applied     002_long", next.Output);
        await using var database = sqld.CreateDataSource();
        await using var connection = await database.OpenConnectionAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM _migrations"));
        Assert.Equal(30, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM big"));
    }

    [Fact]
    public async Task AFullFileDatabaseExits1AndKeepsNothingOfTheMigration()
    {
        await using var db = await TestDatabase.CreateAsync(TestBackend.File);

        // SQLite's page limit gives the error a full disk gives (SQLITE_FULL), inside the migration's own transaction.
        var folder = Folder(
            ("001_base.sql", "CREATE TABLE base (x);"),
            ("002_fill.sql", "CREATE TABLE filler (b BLOB);\nPRAGMA max_page_count = 1;\n" + Fill));

        var (code, output, error) = await Run("run", "--database", db.ConnectionString, "--migrations", folder);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("002_fill.sql failed at statement 3", error);
        Assert.Contains("database or disk is full", error);
        AssertNoStackTrace(output + error);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM _migrations"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'filler'"));
    }

    [RootFact]
    public async Task ASqldOnAFullDiskExits1AndTheRunAfterSpaceIsFreedAppliesTheMigration()
    {
        await using var disk = await PrivateDisk.CreateAsync(32L * 1024 * 1024);
        await using var sqld = await SqldServer.StartAsync(requireAuth: true, disk);
        var folder = Folder(("001_base.sql", "CREATE TABLE base (x);"), ("002_fill.sql", "CREATE TABLE filler (b BLOB);\n" + Fill));
        Assert.Equal(ExitCodes.Success, (await Run("run", "--database", sqld.ConnectionString, "--migrations", folder, "--target", "1")).Code);
        disk.Fill();

        var (code, output, error) = await Run("run", "--database", sqld.ConnectionString, "--migrations", folder);

        // sqld meets ENOSPC in its own write-ahead log and reports an I/O error (already when the run takes the migration
        // lock): a failure, not an unreachable server.
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Matches("error: (The database reported an error|002_fill.sql failed).*disk I/O error", error);
        AssertNoStackTrace(output + error);

        disk.Free();
        var again = await Run("run", "--database", sqld.ConnectionString, "--migrations", folder);
        Assert.True(again.Code == ExitCodes.Success, again.Error);
        Assert.Contains("applied     002_fill", again.Output);
        await using var database = sqld.CreateDataSource();
        await using var connection = await database.OpenConnectionAsync();
        Assert.Equal(64, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM filler"));
    }

    [RootFact]
    [SupportedOSPlatform("linux")]
    public async Task AReadOnlyFileExits1AndAppliesNothing()
    {
        var file = Path.Combine(_directory, "read-only.db");
        var folder = Folder(("001_base.sql", "CREATE TABLE base (x);"), ("002_more.sql", "CREATE TABLE more (x);"));
        Assert.Equal(ExitCodes.Success, (await Run("run", "--database", "file:" + file, "--migrations", folder, "--target", "1")).Code);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var child = MigratorProcess.Start(obeyFilePermissions: true, "run", "--database", "file:" + file, "--migrations", folder);
        var code = await child.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("readonly", child.Output, StringComparison.OrdinalIgnoreCase);
        AssertNoStackTrace(child.Output);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var status = await Run("status", "--database", "file:" + file, "--migrations", folder);
        Assert.Contains("pending  002_more", status.Output);
    }

    /// <summary>4 MiB in one statement: more than a full disk (or a one-page database) can take.</summary>
    private const string Fill = "INSERT INTO filler WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 64) SELECT zeroblob(65536) FROM c;";

    private static void AssertNoStackTrace(string text) => Assert.DoesNotMatch(@"\n\s+at [\w.]+", text);


    private string Folder(params (string Name, string Content)[] files)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "migrations-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), content);
        }

        return folder;
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await new MigratorApp(output, error).RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }
}
