using IntentVision.Data.Migrations;

namespace IntentVision.Data.Tests;

public sealed class SqlScriptSplitterTests
{
    [Fact]
    public void SplitsOnSemicolonsAndDropsEmptyStatements()
    {
        var statements = SqlScriptSplitter.Split("CREATE TABLE a (x);\n\n;  CREATE TABLE b (y);\n-- trailing comment\n");
        Assert.Equal(["CREATE TABLE a (x)", "CREATE TABLE b (y)"], statements.Select(s => s.Text));
        Assert.Equal([1, 3], statements.Select(s => s.Line));
        Assert.Equal([1, 2], statements.Select(s => s.Number));
    }

    [Fact]
    public void KeepsSemicolonsInsideStringsIdentifiersAndComments()
    {
        const string script = """
            INSERT INTO t VALUES ('a;b', 'it''s; fine');
            CREATE TABLE "we;ird" ([x;y] TEXT, `z;` TEXT); /* a ; in a block comment */
            SELECT 1 -- a ; in a line comment
            ;
            """;
        var statements = SqlScriptSplitter.Split(script);
        Assert.Equal(3, statements.Count);
        Assert.Equal("INSERT INTO t VALUES ('a;b', 'it''s; fine')", statements[0].Text);
        Assert.Equal("CREATE TABLE \"we;ird\" ([x;y] TEXT, `z;` TEXT)", statements[1].Text);
        Assert.StartsWith("SELECT 1", statements[2].Text);
    }

    [Fact]
    public void KeepsATriggerBodyWithCaseEndInOneStatement()
    {
        const string script = """
            CREATE TRIGGER IF NOT EXISTS t_audit AFTER UPDATE ON t
            BEGIN
                INSERT INTO audit VALUES (new.id, CASE WHEN new.x > 0 THEN 'up' ELSE 'down' END);
                UPDATE t SET y = 1 WHERE id = new.id;
            END;
            CREATE TEMP TRIGGER t2 AFTER DELETE ON t BEGIN SELECT 1; END;
            SELECT 2;
            """;
        var statements = SqlScriptSplitter.Split(script);
        Assert.Equal(3, statements.Count);
        Assert.EndsWith("END", statements[0].Text);
        Assert.Contains("UPDATE t SET y = 1", statements[0].Text);
        Assert.Equal("CREATE TEMP TRIGGER t2 AFTER DELETE ON t BEGIN SELECT 1; END", statements[1].Text);
        Assert.Equal("SELECT 2", statements[2].Text);
    }

    [Theory]
    [InlineData("SELECT 'open", "Unterminated string")]
    [InlineData("SELECT 1 /* open", "Unterminated block comment")]
    [InlineData("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1;", "has no END")]
    [InlineData("SELECT 'it''", "Unterminated string")]
    [InlineData("SELECT 1;\nSELECT [open", "Unterminated quoted identifier starting at line 2")]
    [InlineData("SELECT \"open", "Unterminated quoted identifier")]
    public void ReportsUnterminatedConstructs(string script, string expected)
    {
        var e = Assert.Throws<SqlScriptException>(() => SqlScriptSplitter.Split(script));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TheInitialSchemaSplitsIntoItsStatements()
    {
        var catalog = MigrationCatalog.FromEmbeddedResources();
        var statements = SqlScriptSplitter.Split(catalog.Migrations[0].UpSql);
        Assert.All(statements, s => Assert.Matches("^CREATE (TABLE|UNIQUE INDEX|INDEX) IF NOT EXISTS", s.Text));
        Assert.Contains(statements, s => s.Text.Contains("CREATE TABLE IF NOT EXISTS metrics", StringComparison.Ordinal));
    }

    [Fact]
    public void ALiteralThatClosesAtTheVeryEndIsComplete()
    {
        Assert.Equal("SELECT 'x'", Assert.Single(SqlScriptSplitter.Split("SELECT 'x'")).Text);
        Assert.Equal("SELECT 'it''s'", Assert.Single(SqlScriptSplitter.Split("SELECT 'it''s'")).Text);
    }
}
