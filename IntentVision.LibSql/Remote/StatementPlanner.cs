using IntentVision.LibSql.Execution;
using IntentVision.LibSql.Hrana;
using IntentVision.LibSql.Sql;

namespace IntentVision.LibSql.Remote;

/// <summary>Turns commands into the statements of one request: scripts are cut, parameters bound, and runs of the same INSERT coalesced.</summary>
internal static class StatementPlanner
{
    public static List<PlannedStatement> Plan(IReadOnlyList<CommandInput> commands, SqlTextCache cache, bool coalesceInserts, bool wantRows)
    {
        var plan = new List<PlannedStatement>(commands.Count);
        for (var c = 0; c < commands.Count; c++)
        {
            var parsed = cache.Get(commands[c].CommandText);
            if (coalesceInserts && parsed.MultiRow is { } multiRow)
            {
                var run = c + 1;
                while (run < commands.Count && string.Equals(commands[run].CommandText, commands[c].CommandText, StringComparison.Ordinal))
                {
                    run++;
                }

                if (run - c > 1)
                {
                    AddCoalesced(plan, commands, parsed.Statements[0], multiRow, c, run - c);
                    c = run - 1;
                    continue;
                }
            }

            foreach (var statement in parsed.Statements)
            {
                var arguments = ParameterBinder.Bind(statement, commands[c].Parameters);
                var (sql, names) = statement.Wire;
                plan.Add(new PlannedStatement(new HranaStatement(sql, arguments, wantRows, names), statement, c));
            }
        }

        return plan;
    }

    private static void AddCoalesced(List<PlannedStatement> plan, IReadOnlyList<CommandInput> commands, ParsedStatement source, MultiRowInsert multiRow, int first, int count)
    {
        var rows = new HranaValue[count][];
        for (var r = 0; r < count; r++)
        {
            rows[r] = ParameterBinder.Bind(source, commands[first + r].Parameters);
        }

        var chunk = multiRow.RowsPerStatement;
        for (var offset = 0; offset < count; offset += chunk)
        {
            var size = Math.Min(chunk, count - offset);
            plan.Add(new PlannedStatement(multiRow.Build(rows, offset, size), source, first + offset, size));
        }
    }
}
