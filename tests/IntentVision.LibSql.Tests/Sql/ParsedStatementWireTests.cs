using IntentVision.LibSql.Sql;

namespace IntentVision.LibSql.Tests.Sql;

/// <summary>
/// A parsed statement is shared by every command of a data source with the same text (<see cref="SqlTextCache"/>), so
/// its wire form, worked out on first use, must reach every thread whole: a thread that saw it half written sent a named
/// statement without its names, and sqld refused it ("value for parameter @OrganizationId not found").
/// </summary>
public sealed class ParsedStatementWireTests
{
    [Fact]
    public void ThreadsAskingForTheWireFormAtOnceAllGetItsNames()
    {
        const string text = "SELECT response FROM idempotency_keys WHERE organization_id = @OrganizationId AND key = @Key";
        const int Threads = 4;
        const int Rounds = 100_000;
        var statements = new ParsedStatement[Rounds];
        for (var i = 0; i < Rounds; i++)
        {
            statements[i] = SqlStatementSplitter.Split(text)[0];
        }

        var torn = 0;
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < Rounds; i++)
            {
                // Every thread races the others through the same fresh statements, in the same order.
                var (sql, names) = statements[i].Wire;
                if (names is not ["@OrganizationId", "@Key"] || !ReferenceEquals(sql, statements[i].Sql))
                {
                    Interlocked.Increment(ref torn);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, torn);
    }
}
