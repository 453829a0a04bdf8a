using System.Text;
using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Sql;

/// <summary>
/// The shape <c>INSERT INTO t (cols) VALUES (row)</c> with nothing after the row, which can be repeated as
/// <c>VALUES (row1), (row2), ...</c>: one statement for many batch commands. SQLite then parses, plans and journals
/// once per chunk instead of once per row, which is what makes a 10,000-row batch fast.
/// </summary>
internal sealed class MultiRowInsert
{
    /// <summary>SQLite's default SQLITE_MAX_VARIABLE_NUMBER (32766 since 3.32), which libSQL keeps.</summary>
    private const int MaxVariables = 32766;

    /// <summary>Bounds the statement text too when a row has few parameters.</summary>
    private const int MaxRowsPerStatement = 10_000;

    private readonly string _prefix;
    private readonly string[] _segments;
    private readonly int[] _tokenIndexes;

    private MultiRowInsert(string prefix, string[] segments, int[] tokenIndexes, int parameterCount)
    {
        _prefix = prefix;
        _segments = segments;
        _tokenIndexes = tokenIndexes;
        ParameterCount = parameterCount;
    }

    public int ParameterCount { get; }

    public int RowsPerStatement => _tokenIndexes.Length == 0 ? 500 : Math.Clamp(MaxVariables / _tokenIndexes.Length, 1, MaxRowsPerStatement);

    /// <summary>Recognises a single-row plain INSERT (no OR clause, no upsert, no RETURNING) whose parameters all sit in its row.</summary>
    public static MultiRowInsert? TryCreate(ParsedStatement statement)
    {
        if (statement.Verb != "INSERT")
        {
            return null;
        }

        var sql = statement.Sql;
        var valuesAt = FindTopLevelWord(sql, "VALUES", out var secondWord);
        if (valuesAt < 0 || !string.Equals(secondWord, "INTO", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var open = valuesAt + "VALUES".Length;
        while (open < sql.Length && char.IsWhiteSpace(sql[open]))
        {
            open++;
        }

        if (open >= sql.Length || sql[open] != '(')
        {
            return null;
        }

        var close = FindClosingParenthesis(sql, open);
        if (close < 0 || !IsBlank(sql.AsSpan(close + 1)))
        {
            return null;
        }

        foreach (var token in statement.Parameters)
        {
            if (token.Start <= open || token.Start >= close)
            {
                return null;
            }
        }

        // The row becomes literal segments around parameter slots.
        var segments = new string[statement.Parameters.Count + 1];
        var indexes = new int[statement.Parameters.Count];
        var cursor = open;
        for (var t = 0; t < statement.Parameters.Count; t++)
        {
            var token = statement.Parameters[t];
            segments[t] = sql[cursor..token.Start];
            indexes[t] = token.Index;
            cursor = token.Start + token.Length;
        }

        segments[^1] = sql[cursor..(close + 1)];
        return new MultiRowInsert(sql[..valuesAt] + "VALUES ", segments, indexes, statement.ParameterCount);
    }

    /// <summary>One statement inserting <paramref name="count"/> rows, each given as its own argument array (by SQLite index).</summary>
    public HranaStatement Build(IReadOnlyList<HranaValue[]> rows, int offset, int count)
    {
        var rowLength = 0;
        foreach (var segment in _segments)
        {
            rowLength += segment.Length + 2;
        }

        var sql = new StringBuilder(_prefix.Length + (count * rowLength));
        sql.Append(_prefix);
        var arguments = new HranaValue[count * _tokenIndexes.Length];
        var next = 0;
        for (var r = 0; r < count; r++)
        {
            if (r > 0)
            {
                sql.Append(',');
            }

            var row = rows[offset + r];
            for (var t = 0; t < _tokenIndexes.Length; t++)
            {
                // Every occurrence becomes an anonymous '?' with its own argument: sqld binds thousands of those
                // quickly, while thousands of ?NNN or named parameters cost it seconds (name lookups).
                sql.Append(_segments[t]).Append('?');
                arguments[next++] = row[_tokenIndexes[t] - 1];
            }

            sql.Append(_segments[^1]);
        }

        return new HranaStatement(sql.ToString(), arguments, WantRows: false);
    }

    private static int FindTopLevelWord(string sql, string word, out string? secondWord)
    {
        secondWord = null;
        var depth = 0;
        var words = 0;
        for (var i = 0; i < sql.Length;)
        {
            var c = sql[i];
            switch (c)
            {
                case '\'' or '"' or '`':
                    i = SkipQuoted(sql, i, c);
                    continue;
                case '[':
                    var bracket = sql.IndexOf(']', i + 1);
                    i = bracket < 0 ? sql.Length : bracket + 1;
                    continue;
                case '-' when i + 1 < sql.Length && sql[i + 1] == '-':
                case '/' when i + 1 < sql.Length && sql[i + 1] == '*':
                    // Comments inside the statement make the shape ambiguous; not worth rewriting.
                    return -1;
                case '(':
                    depth++;
                    i++;
                    continue;
                case ')':
                    depth--;
                    i++;
                    continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var end = i + 1;
                while (end < sql.Length && (char.IsAsciiLetterOrDigit(sql[end]) || sql[end] is '_' or '$' || sql[end] > 0x7f))
                {
                    end++;
                }

                if (words == 1)
                {
                    secondWord = sql[i..end];
                }

                words++;
                if (depth == 0 && end - i == word.Length && string.Compare(sql, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    return i;
                }

                i = end;
                continue;
            }

            i++;
        }

        return -1;
    }

    private static int FindClosingParenthesis(string sql, int open)
    {
        var depth = 0;
        for (var i = open; i < sql.Length;)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`')
            {
                i = SkipQuoted(sql, i, c);
                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                return i;
            }

            i++;
        }

        return -1;
    }

    private static int SkipQuoted(string sql, int i, char quote)
    {
        var j = i + 1;
        while (j < sql.Length)
        {
            if (sql[j] == quote)
            {
                if (j + 1 < sql.Length && sql[j + 1] == quote)
                {
                    j += 2;
                    continue;
                }

                return j + 1;
            }

            j++;
        }

        return sql.Length;
    }

    private static bool IsBlank(ReadOnlySpan<char> rest)
    {
        foreach (var c in rest)
        {
            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }
}
