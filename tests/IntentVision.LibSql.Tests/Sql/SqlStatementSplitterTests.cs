using IntentVision.LibSql.Hrana;
using IntentVision.LibSql.Sql;

namespace IntentVision.LibSql.Tests.Sql;

public sealed class SqlStatementSplitterTests
{
    [Fact]
    public void SplitsOnSemicolonsOutsideLiteralsCommentsAndTriggerBodies()
    {
        var statements = SqlStatementSplitter.Split("""
            SELECT 'a;b', "c;d", [e;f], `g;h`; -- x; y
            /* ; */ CREATE TRIGGER t AFTER INSERT ON x BEGIN
              UPDATE x SET v = CASE WHEN 1 THEN 'END;' END; DELETE FROM y;
            END;
            ;;  -- trailing comment only
            """);
        Assert.Equal(2, statements.Count);
        Assert.Equal("""SELECT 'a;b', "c;d", [e;f], `g;h`""", statements[0].Sql);
        Assert.StartsWith("CREATE TRIGGER", statements[1].Sql);
        Assert.EndsWith("END", statements[1].Sql);
    }

    [Fact]
    public void NumbersParametersAsSqliteDoes()
    {
        var statement = Assert.Single(SqlStatementSplitter.Split("SELECT :a, ?, ?5, :a, @b, ?, $c::d"));
        Assert.Equal([":a", "?", "?5", ":a", "@b", "?", "$c::d"], statement.Parameters.Select(p => p.Name));
        Assert.Equal([1, 2, 5, 1, 6, 7, 8], statement.Parameters.Select(p => p.Index));
        Assert.Equal(8, statement.ParameterCount);
    }

    [Theory]
    [InlineData("SELECT 1", true)]
    [InlineData("WITH x AS (SELECT 1) SELECT * FROM x", true)]
    [InlineData("WITH x AS (SELECT 1) DELETE FROM t WHERE id IN x", false)]
    [InlineData("INSERT INTO t VALUES (1)", false)]
    public void KnowsWhichStatementsCannotWrite(string sql, bool readOnly)
    {
        Assert.Equal(readOnly, Assert.Single(SqlStatementSplitter.Split(sql)).IsReadOnly);
    }

    [Theory]
    [InlineData("INSERT INTO t (a, b) VALUES (?, @b)", true)]
    [InlineData("insert into \"t\" values (:a, lower(:b))", true)]
    [InlineData("INSERT OR REPLACE INTO t VALUES (?)", false)]
    [InlineData("INSERT INTO t VALUES (?) ON CONFLICT DO NOTHING", true)]
    [InlineData("INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", true)]
    [InlineData("INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = ?", false)]
    [InlineData("INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v RETURNING k", false)]
    [InlineData("INSERT INTO t (k, v) VALUES (?, ?) WHERE true", false)]
    [InlineData("INSERT INTO t VALUES (?) RETURNING id", false)]
    [InlineData("INSERT INTO t SELECT ?", false)]
    [InlineData("INSERT INTO t VALUES (1), (?)", false)]
    public void RecognisesTheSingleRowInsertsThatCanBeCoalesced(string sql, bool coalescable)
    {
        Assert.Equal(coalescable, MultiRowInsert.TryCreate(Assert.Single(SqlStatementSplitter.Split(sql))) is not null);
    }

    [Fact]
    public void ACoalescedInsertRepeatsEachParameterOccurrenceAsAnAnonymousArgument()
    {
        var statement = Assert.Single(SqlStatementSplitter.Split("INSERT INTO t (a, b, c) VALUES (?2, ?1, ?2)"));
        var insert = MultiRowInsert.TryCreate(statement)!;
        var built = insert.Build(
            [[HranaValue.FromInteger(1), HranaValue.FromInteger(2)], [HranaValue.FromInteger(3), HranaValue.FromInteger(4)]],
            0,
            2);
        Assert.Equal("INSERT INTO t (a, b, c) VALUES (?, ?, ?),(?, ?, ?)", built.Sql);
        Assert.Equal([2L, 1, 2, 4, 3, 4], built.Arguments.Select(a => a.Integer));
    }
}
