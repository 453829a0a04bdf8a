using System.Text.Json;
using IntentVision.Migrator;

namespace IntentVision.Migrator.Tests;

/// <summary>The CLI as a user runs it, in-process: arguments in, text and exit codes out, a real database file.</summary>
public sealed class MigratorCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("intentvision-migrator-").FullName;

    private string DatabaseUrl => "file:" + Path.Combine(_directory, "cli.db");

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await new MigratorApp(output, error).RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task StatusRunStatusOnAFreshDatabase()
    {
        var before = await Run("status", "--check", "--database", DatabaseUrl);
        Assert.Equal(ExitCodes.Pending, before.Code);
        Assert.Contains("pending  001_initial_schema", before.Output);

        var run = await Run("run", "--database", DatabaseUrl);
        Assert.Equal(ExitCodes.Success, run.Code);
        Assert.Contains("applied     001_initial_schema", run.Output);
        Assert.Contains($"done: {Data.Migrations.MigrationCatalog.FromEmbeddedResources().Migrations.Count} applied", run.Output);

        var again = await Run("run", "--database", DatabaseUrl);
        Assert.Contains("nothing to do", again.Output);

        var after = await Run("status", "--check", "--json", "--database", DatabaseUrl);
        Assert.Equal(ExitCodes.Success, after.Code);
        using var json = JsonDocument.Parse(after.Output);
        Assert.True(json.RootElement.GetProperty("current").GetBoolean());
        var first = json.RootElement.GetProperty("migrations")[0];
        Assert.Equal("001_initial_schema", first.GetProperty("name").GetString());
        Assert.Equal("applied", first.GetProperty("state").GetString());
        Assert.True(first.GetProperty("appliedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task TestPrintsEngineVersionAndRoundTrip()
    {
        var (code, output, _) = await Run("test", "--database", DatabaseUrl);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Matches(@"engine:\s+SQLite 3\.\d+", output);
        Assert.Matches(@"round trip: \d+\.\d+ ms", output);
        Assert.Contains("rolled back", output);
    }

    [Fact]
    public async Task AFailingMigrationExits1NamingFileAndStatement()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "migrations")).FullName;
        File.WriteAllText(Path.Combine(folder, "001_ok.sql"), "CREATE TABLE ok (x);");
        File.WriteAllText(Path.Combine(folder, "002_bad.sql"), "CREATE TABLE half (x);\nINSERT INTO missing VALUES (1);");

        var (code, _, error) = await Run("run", "--database", DatabaseUrl, "--migrations", folder);
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("002_bad.sql failed at statement 2 (line 2: 'INSERT INTO missing VALUES (1)')", error);

        var status = await Run("status", "--database", DatabaseUrl, "--migrations", folder);
        Assert.Contains("applied  001_ok", status.Output);
        Assert.Contains("pending  002_bad", status.Output);
    }

    [Fact]
    public async Task AnInvalidMigrationsFolderExits2ListingTheProblems()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "bad")).FullName;
        File.WriteAllText(Path.Combine(folder, "001_a.sql"), "SELECT 1;");
        File.WriteAllText(Path.Combine(folder, "003_c.sql"), "SELECT 1;");
        var (code, _, error) = await Run("status", "--database", DatabaseUrl, "--migrations", folder);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("version 002 is missing", error);
    }

    [Fact]
    public async Task ABadUrlExits2WithAClearMessage()
    {
        var (code, _, error) = await Run("status", "--database", "postgres://nope");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("is not a libSQL URL", error);
    }

    [Fact]
    public async Task HelpDocumentsTheExitCodes()
    {
        var (code, output, _) = await Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("Exit codes: 0 success", output);
        Assert.Contains("rollback", output);
    }
}
