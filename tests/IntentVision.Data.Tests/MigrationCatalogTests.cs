using IntentVision.Data.Migrations;

namespace IntentVision.Data.Tests;

public sealed class MigrationCatalogTests
{
    [Fact]
    public void TheEmbeddedCatalogStartsWithTheInitialSchemaAndItsDownFile()
    {
        var catalog = MigrationCatalog.FromEmbeddedResources();
        var first = catalog.Migrations[0];
        Assert.Equal(1, first.Version);
        Assert.Equal("001_initial_schema", first.Name);
        Assert.NotNull(first.DownSql);
        Assert.Equal(64, first.Checksum.Length);
    }

    [Fact]
    public void TheEmbeddedCatalogMatchesTheFilesInDbMigrations()
    {
        var folder = Path.Combine(RepositoryRoot(), "db", "migrations");
        var fromFolder = MigrationCatalog.FromDirectory(folder);
        var embedded = MigrationCatalog.FromEmbeddedResources();
        Assert.Equal(fromFolder.Migrations.Select(m => (m.Name, m.Checksum)), embedded.Migrations.Select(m => (m.Name, m.Checksum)));
    }

    [Fact]
    public void ListsEveryProblemAtOnce()
    {
        var e = Assert.Throws<MigrationCatalogException>(() => MigrationCatalog.Build("test", [
            ("001_a.sql", "CREATE TABLE a (x);"),
            ("001_b.sql", "CREATE TABLE b (x);"),
            ("003_c.sql", "CREATE TABLE c (x);"),
            ("4_bad_name.sql", "SELECT 1;"),
            ("005_Upper.sql", "SELECT 1;"),
            ("notes.txt", "hello"),
            ("009_orphan.down.sql", "DROP TABLE x;"),
        ]));
        Assert.Contains(e.Problems, p => p.Contains("version 1 is used by more than one file", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("version 002 is missing", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("'4_bad_name.sql' is not a migration file name", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("'005_Upper.sql'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("'notes.txt'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("'009_orphan.down.sql' has no matching", StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesAMigrationThatControlsItsOwnTransaction()
    {
        var e = Assert.Throws<MigrationCatalogException>(() => MigrationCatalog.Build("test", [
            ("001_a.sql", "BEGIN;\nCREATE TABLE a (x);\nCOMMIT;"),
        ]));
        Assert.Contains("statement 1 (line 1) controls the transaction", e.Message);
    }

    [Fact]
    public void ChecksumsIgnoreLineEndingStyle()
    {
        Assert.Equal(MigrationScript.ComputeChecksum("CREATE TABLE a (x);\n"), MigrationScript.ComputeChecksum("CREATE TABLE a (x);\r\n"));
        Assert.NotEqual(MigrationScript.ComputeChecksum("CREATE TABLE a (x);"), MigrationScript.ComputeChecksum("CREATE TABLE a (y);"));
    }

    [Fact]
    public void ReadsTheRollbackNotesFromTheComments()
    {
        var notes = MigrationCatalog.FromEmbeddedResources().Migrations[0].RollbackNotes;
        Assert.NotNull(notes);
        Assert.Contains("DROP TABLE IF EXISTS metrics", notes);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IntentVision.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("IntentVision.sln not found above " + AppContext.BaseDirectory);
    }
}
