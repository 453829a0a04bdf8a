using IntentVision.LibSql.Sql;

namespace IntentVision.Data.Migrations;

/// <summary>
/// Splits a migration (or a dump) into numbered statements with the line each starts on, because Hrana runs one
/// statement per request and because errors should name the statement that failed. The cutting itself is the
/// provider's own scanner (<see cref="SqlStatementSplitter.SplitScript"/>), so a script is cut exactly as
/// <c>IntentVision.LibSql</c> would cut it: strings, quoted identifiers, comments and <c>CREATE TRIGGER ... BEGIN ...
/// END</c> bodies (with <c>CASE ... END</c> inside) never split. This class adds numbering, lines, and a clear error
/// for a script that ends inside one of those constructs, which the provider tolerates but a migration must not.
/// </summary>
public static class SqlScriptSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var pieces = SqlStatementSplitter.SplitScript(script);
        var statements = new List<SqlStatement>(pieces.Count);
        var line = 1;
        var counted = 0;
        foreach (var piece in pieces)
        {
            line += script.AsSpan(counted, piece.Start - counted).Count('\n');
            counted = piece.Start;
            if (piece.Unterminated is { } construct)
            {
                throw new SqlScriptException(construct switch
                {
                    "trigger body" => $"CREATE TRIGGER starting at line {line} has no END.",
                    _ => $"Unterminated {construct} starting at line {line}.",
                }, line);
            }

            statements.Add(new SqlStatement(statements.Count + 1, line, piece.Text));
        }

        return statements;
    }
}
