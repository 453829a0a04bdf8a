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

    /// <summary>Every migration, a trigger, strings holding ";\n" and CRLF line ends, read a few characters at a time.</summary>
    public static TheoryData<int> ReadSizes => [1, 2, 3, 7, 64, 4096];

    [Theory]
    [MemberData(nameof(ReadSizes))]
    public async Task ReadingAScriptAsAStreamCutsItExactlyAsSplittingItWhole(int charsPerRead)
    {
        var catalog = MigrationCatalog.FromEmbeddedResources();
        var script = string.Join("\n", catalog.Migrations.Select(m => m.UpSql)) + """

            INSERT INTO t VALUES ('a;
            b', 'ends with a semicolon;
            ');
            CREATE TRIGGER IF NOT EXISTS t_audit AFTER UPDATE ON t
            BEGIN
                INSERT INTO audit VALUES (new.id, CASE WHEN new.x > 0 THEN 'up' ELSE 'down' END);
                UPDATE t SET y = 1 WHERE id = new.id;
            END;
            /* a comment; with a semicolon
            */ SELECT 1;
            """.Replace("\n", "\r\n", StringComparison.Ordinal) + "\nSELECT 'no semicolon at the end'";

        var whole = SqlScriptSplitter.Split(script);
        var streamed = new List<SqlStatement>();
        await foreach (var statement in SqlScriptSplitter.ReadAsync(new TrickleReader(script, charsPerRead)))
        {
            streamed.Add(statement);
        }

        Assert.True(whole.Count > 20);
        Assert.Equal(whole, streamed);
    }

    [Theory]
    [InlineData("SELECT 1;\nSELECT [open", "Unterminated quoted identifier starting at line 2")]
    [InlineData("SELECT 1;\nINSERT INTO t VALUES ('open;\n", "Unterminated string starting at line 2")]
    [InlineData("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1;\n", "has no END")]
    public async Task AStreamThatEndsInsideAConstructIsReportedWithItsLine(string script, string expected)
    {
        var e = await Assert.ThrowsAsync<SqlScriptException>(async () =>
        {
            await foreach (var statement in SqlScriptSplitter.ReadAsync(new TrickleReader(script, 3)))
            {
                Assert.NotNull(statement);
            }
        });
        Assert.Contains(expected, e.Message);
    }

    /// <summary>Hands out at most a few characters per read, as a slow pipe does.</summary>
    private sealed class TrickleReader(string text, int charsPerRead) : TextReader
    {
        private int _position;

        public override int Peek() => _position < text.Length ? text[_position] : -1;

        public override int Read() => _position < text.Length ? text[_position++] : -1;

        public override int Read(Span<char> buffer)
        {
            var count = Math.Min(Math.Min(charsPerRead, buffer.Length), text.Length - _position);
            text.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
    }
}
