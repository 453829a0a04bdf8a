using System.Text;

namespace IntentVision.Data.Migrations;

/// <summary>
/// Splits a SQL script into statements, because Hrana runs one statement per request and because errors
/// should name the statement that failed. Semicolons inside strings, quoted identifiers, comments and
/// <c>CREATE TRIGGER ... BEGIN ... END</c> bodies (including <c>CASE ... END</c> within them) do not split.
/// </summary>
public static class SqlScriptSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var statements = new List<SqlStatement>();
        var current = new StringBuilder();
        var words = new List<string>(4);
        var hasContent = false;
        var startLine = 1;
        var line = 1;
        var isTrigger = false;
        var inTriggerBody = false;
        var triggerBodyEnded = false;
        var caseDepth = 0;

        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            var next = i + 1 < script.Length ? script[i + 1] : '\0';

            if (c == '-' && next == '-')
            {
                var end = script.IndexOf('\n', i);
                end = end < 0 ? script.Length : end;
                if (hasContent)
                {
                    current.Append(script, i, end - i);
                }

                i = end;
                continue;
            }

            if (c == '/' && next == '*')
            {
                var end = script.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new SqlScriptException($"Unterminated block comment starting at line {line}.", line);
                }

                end += 2;
                var text = script.AsSpan(i, end - i);
                line += text.Count('\n');
                if (hasContent)
                {
                    current.Append(text);
                }

                i = end;
                continue;
            }

            if (c is '\'' or '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                var start = i;
                var startedOn = line;
                i++;
                while (true)
                {
                    if (i >= script.Length)
                    {
                        throw new SqlScriptException($"Unterminated {(c == '\'' ? "string" : "quoted identifier")} starting at line {startedOn}.", startedOn);
                    }

                    if (script[i] == '\n')
                    {
                        line++;
                    }

                    if (script[i] == close)
                    {
                        // A doubled quote is an escaped quote, not the end ('it''s', "a""b").
                        if (close != ']' && i + 1 < script.Length && script[i + 1] == close)
                        {
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    i++;
                }

                if (!hasContent)
                {
                    hasContent = true;
                    startLine = startedOn;
                }

                current.Append(script, start, i - start);
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < script.Length && (char.IsLetterOrDigit(script[i]) || script[i] is '_' or '$'))
                {
                    i++;
                }

                var word = script[start..i];
                if (!hasContent)
                {
                    hasContent = true;
                    startLine = line;
                }

                current.Append(word);
                TrackWord(word.ToUpperInvariant());
                continue;
            }

            if (c == ';')
            {
                if (!isTrigger || triggerBodyEnded)
                {
                    Flush();
                    i++;
                    continue;
                }
            }

            if (c == '\n')
            {
                line++;
            }

            if (hasContent)
            {
                current.Append(c);
            }
            else if (!char.IsWhiteSpace(c))
            {
                hasContent = true;
                startLine = line;
                current.Append(c);
            }

            i++;
        }

        if (isTrigger && !triggerBodyEnded && hasContent)
        {
            throw new SqlScriptException($"CREATE TRIGGER starting at line {startLine} has no END.", startLine);
        }

        Flush();
        return statements;

        void TrackWord(string upper)
        {
            if (words.Count < 3)
            {
                words.Add(upper);
                if (words.Count >= 2 && words[0] == "CREATE"
                    && (words[1] == "TRIGGER" || (words.Count == 3 && words[1] is "TEMP" or "TEMPORARY" && words[2] == "TRIGGER")))
                {
                    isTrigger = true;
                }
            }

            if (!isTrigger || triggerBodyEnded)
            {
                return;
            }

            if (!inTriggerBody)
            {
                inTriggerBody = upper == "BEGIN";
                return;
            }

            if (upper == "CASE")
            {
                caseDepth++;
            }
            else if (upper == "END")
            {
                if (caseDepth > 0)
                {
                    caseDepth--;
                }
                else
                {
                    triggerBodyEnded = true;
                }
            }
        }

        void Flush()
        {
            if (hasContent)
            {
                statements.Add(new SqlStatement(statements.Count + 1, startLine, current.ToString().Trim()));
            }

            current.Clear();
            words.Clear();
            hasContent = false;
            isTrigger = false;
            inTriggerBody = false;
            triggerBodyEnded = false;
            caseDepth = 0;
        }
    }
}
