namespace IntentVision.LibSql.Sql;

/// <summary>
/// Cuts a command text into statements and finds their parameters, following SQLite's tokenizer: quotes, bracketed
/// identifiers, comments, and trigger bodies (whose inner semicolons do not end the statement). Hrana executes one
/// statement per step, so a script must be cut on the client; the parameters must be found anyway so each statement
/// gets exactly the arguments it expects. Tools that run whole scripts (the migration engine, restore) cut them with
/// <see cref="SplitScript"/>, the same scanner, so a script is cut exactly as the provider would cut it.
/// </summary>
public static class SqlStatementSplitter
{
    internal static IReadOnlyList<ParsedStatement> Split(string text)
    {
        var statements = new List<ParsedStatement>(1);
        var i = 0;
        while (i < text.Length)
        {
            var statement = ScanStatement(text, ref i, out _, out _, out _);
            if (statement is not null)
            {
                statements.Add(statement);
            }
        }

        return statements;
    }

    /// <summary>
    /// Cuts a script into statements with their offsets, for tools that report a failing statement by number and line.
    /// Unlike the provider's own lenient cut, a script that ends inside a string, quoted identifier, block comment or
    /// trigger body yields a last piece whose <see cref="ScriptStatement.Unterminated"/> names that construct.
    /// </summary>
    public static IReadOnlyList<ScriptStatement> SplitScript(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var statements = new List<ScriptStatement>();
        var i = 0;
        while (i < script.Length)
        {
            var statement = ScanStatement(script, ref i, out var start, out var unterminated, out var unterminatedAt);
            if (unterminated is not null)
            {
                statements.Add(new ScriptStatement(unterminatedAt, statement?.Sql ?? string.Empty, unterminated));
                break;
            }

            if (statement is not null)
            {
                statements.Add(new ScriptStatement(start, statement.Sql, null));
            }
        }

        return statements;
    }

    private static ParsedStatement? ScanStatement(string text, ref int i, out int start, out string? unterminated, out int unterminatedAt)
    {
        start = -1;
        unterminated = null;
        unterminatedAt = -1;
        var end = -1;
        var tokens = new List<SqlParameterToken>();
        Dictionary<string, int>? named = null;
        var parameterCount = 0;
        var wordCount = 0;
        string? verb = null;
        var isTrigger = false;
        var depth = 0;
        var parentheses = 0;
        string? mainVerb = null;

        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '-' && Peek(text, i + 1) == '-')
            {
                var newline = text.IndexOf('\n', i);
                i = newline < 0 ? text.Length : newline + 1;
                continue;
            }

            if (c == '/' && Peek(text, i + 1) == '*')
            {
                var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    (unterminated, unterminatedAt) = ("block comment", i);
                }

                i = close < 0 ? text.Length : close + 2;
                continue;
            }

            if (c == ';')
            {
                i++;
                if (isTrigger && depth > 0)
                {
                    continue;
                }

                break;
            }

            if (start < 0)
            {
                start = i;
            }

            switch (c)
            {
                case '\'':
                case '"':
                case '`':
                {
                    var opened = i;
                    i = SkipQuoted(text, i, c);
                    if (i == text.Length && IsUnclosed(text, opened, c))
                    {
                        (unterminated, unterminatedAt) = (c == '\'' ? "string" : "quoted identifier", opened);
                    }

                    break;
                }

                case '[':
                    var bracket = text.IndexOf(']', i + 1);
                    if (bracket < 0)
                    {
                        (unterminated, unterminatedAt) = ("quoted identifier", i);
                    }

                    i = bracket < 0 ? text.Length : bracket + 1;
                    break;
                case '?':
                {
                    var digitsEnd = i + 1;
                    while (digitsEnd < text.Length && char.IsAsciiDigit(text[digitsEnd]))
                    {
                        digitsEnd++;
                    }

                    int index;
                    string name;
                    if (digitsEnd > i + 1)
                    {
                        name = text[i..digitsEnd];
                        index = int.Parse(name.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
                        parameterCount = Math.Max(parameterCount, index);
                    }
                    else
                    {
                        name = "?";
                        index = ++parameterCount;
                    }

                    tokens.Add(new SqlParameterToken(i, digitsEnd - i, name, index));
                    i = digitsEnd;
                    break;
                }

                case ':' or '@' or '$' when IsIdentifierPart(Peek(text, i + 1)):
                {
                    var nameEnd = ScanParameterName(text, i);
                    var name = text[i..nameEnd];
                    named ??= new Dictionary<string, int>(StringComparer.Ordinal);
                    if (!named.TryGetValue(name, out var index))
                    {
                        index = ++parameterCount;
                        named[name] = index;
                    }

                    tokens.Add(new SqlParameterToken(i, nameEnd - i, name, index));
                    i = nameEnd;
                    break;
                }

                default:
                    if (IsIdentifierStart(c))
                    {
                        var wordEnd = i + 1;
                        while (wordEnd < text.Length && IsIdentifierPart(text[wordEnd]))
                        {
                            wordEnd++;
                        }

                        var word = text.AsSpan(i, wordEnd - i);
                        if (wordCount == 0)
                        {
                            verb = word.ToString().ToUpperInvariant();
                        }
                        else if (verb == "WITH" && mainVerb is null && parentheses == 0 && IsMainVerb(word))
                        {
                            // The statement a WITH clause leads to decides whether it writes.
                            mainVerb = word.ToString().ToUpperInvariant();
                        }
                        else if (!isTrigger && wordCount <= 2 && verb == "CREATE" && word.Equals("TRIGGER", StringComparison.OrdinalIgnoreCase))
                        {
                            isTrigger = true;
                        }
                        else if (isTrigger)
                        {
                            if (word.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) || word.Equals("CASE", StringComparison.OrdinalIgnoreCase))
                            {
                                depth++;
                            }
                            else if (word.Equals("END", StringComparison.OrdinalIgnoreCase))
                            {
                                depth--;
                            }
                        }

                        wordCount++;
                        i = wordEnd;
                    }
                    else
                    {
                        parentheses += c == '(' ? 1 : c == ')' ? -1 : 0;
                        i++;
                    }

                    break;
            }

            end = i;
        }

        if (isTrigger && depth > 0 && unterminated is null)
        {
            (unterminated, unterminatedAt) = ("trigger body", start);
        }

        if (start < 0)
        {
            return null;
        }

        var sql = text[start..end];
        if (tokens.Count > 0)
        {
            for (var t = 0; t < tokens.Count; t++)
            {
                tokens[t] = tokens[t] with { Start = tokens[t].Start - start };
            }
        }

        return new ParsedStatement(sql, tokens, parameterCount, verb ?? string.Empty, mainVerb ?? verb ?? string.Empty);
    }

    private static int SkipQuoted(string text, int i, char quote)
    {
        var j = i + 1;
        while (j < text.Length)
        {
            if (text[j] == quote)
            {
                // A doubled quote is an escaped quote inside the literal.
                if (Peek(text, j + 1) == quote)
                {
                    j += 2;
                    continue;
                }

                return j + 1;
            }

            j++;
        }

        return text.Length;
    }

    /// <summary>True when the quoted run opened at <paramref name="opened"/> never closes (doubled quotes are escapes).</summary>
    private static bool IsUnclosed(string text, int opened, char quote)
    {
        var j = opened + 1;
        while (j < text.Length)
        {
            if (text[j] == quote)
            {
                if (Peek(text, j + 1) == quote)
                {
                    j += 2;
                    continue;
                }

                return false;
            }

            j++;
        }

        return true;
    }

    private static int ScanParameterName(string text, int i)
    {
        var j = i + 1;
        while (j < text.Length)
        {
            if (IsIdentifierPart(text[j]))
            {
                j++;
            }
            else if (text[i] == '$' && text[j] == ':' && Peek(text, j + 1) == ':')
            {
                // Tcl-style $a::b names are one parameter in SQLite.
                j += 2;
            }
            else
            {
                break;
            }
        }

        return j;
    }

    private static bool IsMainVerb(ReadOnlySpan<char> word) =>
        word.Equals("SELECT", StringComparison.OrdinalIgnoreCase)
        || word.Equals("INSERT", StringComparison.OrdinalIgnoreCase)
        || word.Equals("UPDATE", StringComparison.OrdinalIgnoreCase)
        || word.Equals("DELETE", StringComparison.OrdinalIgnoreCase)
        || word.Equals("REPLACE", StringComparison.OrdinalIgnoreCase)
        || word.Equals("VALUES", StringComparison.OrdinalIgnoreCase);

    private static char Peek(string text, int i) => i < text.Length ? text[i] : '\0';

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c > 0x7f;

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;

    /// <summary>One statement of a script: where it starts in the script, its text without the semicolon, and, for a
    /// script that ends too early, which construct was left open (<c>string</c>, <c>quoted identifier</c>,
    /// <c>block comment</c>, <c>trigger body</c>; then <see cref="Start"/> is where that construct opens).</summary>
    public sealed record ScriptStatement(int Start, string Text, string? Unterminated);
}
