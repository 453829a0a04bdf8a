using System.Runtime.CompilerServices;
using System.Text;
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
    /// <summary>Characters read at a time by <see cref="ReadAsync"/>.</summary>
    private const int ChunkChars = 64 * 1024;

    public static IReadOnlyList<SqlStatement> Split(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var statements = new List<SqlStatement>();
        Cut(script, firstLine: 1, firstNumber: 1, statements);
        return statements;
    }

    /// <summary>
    /// The statements of a script read from <paramref name="reader"/> as they complete, holding only the text not yet
    /// cut (a dump of gigabytes streams through in about one chunk). Cut exactly as <see cref="Split"/> cuts the whole
    /// text: a piece is taken up to the last <c>;</c> that ends a line, and only once the scanner finds it complete (a
    /// string, comment or trigger body still open there waits for more text).
    /// </summary>
    public static async IAsyncEnumerable<SqlStatement> ReadAsync(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var buffer = new char[ChunkChars];
        var pending = new StringBuilder();
        var line = 1;
        var number = 1;
        var searchFrom = 0;
        var statements = new List<SqlStatement>();
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            pending.Append(buffer, 0, read);
            var cut = LastStatementEnd(pending, searchFrom);
            searchFrom = Math.Max(0, pending.Length - 1);
            if (cut < 0)
            {
                continue;
            }

            var text = pending.ToString(0, cut);
            if (SqlStatementSplitter.SplitScript(text) is { Count: > 0 } pieces && pieces[^1].Unterminated is not null)
            {
                // A ';' inside a string or a trigger body: the statement goes on in the text still to come.
                continue;
            }

            statements.Clear();
            Cut(text, line, number, statements);
            foreach (var statement in statements)
            {
                yield return statement;
            }

            number += statements.Count;
            line += text.AsSpan().Count('\n');
            pending.Remove(0, cut);
            searchFrom = 0;
        }

        statements.Clear();
        Cut(pending.ToString(), line, number, statements);
        foreach (var statement in statements)
        {
            yield return statement;
        }
    }

    /// <summary>Just past the last ';' that is followed by a line break, searching from <paramref name="from"/>; -1 if none.</summary>
    private static int LastStatementEnd(StringBuilder text, int from)
    {
        for (var i = text.Length - 2; i >= from; i--)
        {
            if (text[i] == ';' && text[i + 1] is '\n' or '\r')
            {
                return i + 1;
            }
        }

        return -1;
    }

    private static void Cut(string script, int firstLine, int firstNumber, List<SqlStatement> statements)
    {
        var line = firstLine;
        var counted = 0;
        foreach (var piece in SqlStatementSplitter.SplitScript(script))
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

            statements.Add(new SqlStatement(firstNumber + statements.Count, line, piece.Text));
        }
    }
}
