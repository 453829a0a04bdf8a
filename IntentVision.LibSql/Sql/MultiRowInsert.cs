using System.Text;
using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Sql;

/// <summary>
/// The shape <c>INSERT INTO t (cols) VALUES (row)</c>, optionally followed by an upsert clause without parameters
/// (<c>ON CONFLICT (...) DO UPDATE SET c = excluded.c</c> or <c>DO NOTHING</c>), which can be repeated as
/// <c>VALUES (row1), (row2), ... ON CONFLICT ...</c>: one statement for many batch commands. SQLite then parses, plans
/// and journals once per chunk instead of once per row, which is what makes a 10,000-row batch fast on a server.
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
    private readonly string _suffix;

    private MultiRowInsert(string prefix, string[] segments, int[] tokenIndexes, int parameterCount, string suffix)
    {
        _prefix = prefix;
        _segments = segments;
        _tokenIndexes = tokenIndexes;
        ParameterCount = parameterCount;
        _suffix = suffix;
    }

    public int ParameterCount { get; }

    public int RowsPerStatement => _tokenIndexes.Length == 0 ? 500 : Math.Clamp(MaxVariables / _tokenIndexes.Length, 1, MaxRowsPerStatement);

    /// <summary>
    /// Recognises a single-row INSERT (no OR clause, no RETURNING; an upsert clause is fine) whose parameters all sit in
    /// its row.
    /// </summary>
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
        if (close < 0)
        {
            return null;
        }

        var suffix = sql[(close + 1)..].Trim();
        if (suffix.Length > 0 && !IsUpsertClause(suffix))
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
        return new MultiRowInsert(sql[..valuesAt] + "VALUES ", segments, indexes, statement.ParameterCount, suffix.Length == 0 ? string.Empty : " " + suffix);
    }

    /// <summary>One statement inserting <paramref name="count"/> rows, each given as its own argument array (by SQLite index).</summary>
    /// <remarks>
    /// Every occurrence becomes an anonymous <c>?</c> with its own argument: sqld binds thousands of those quickly,
    /// while thousands of <c>?NNN</c> or named parameters cost it seconds (name lookups). A value that is the same in
    /// every row (the series of a batch of points, its source) is sent once: the first row binds it with <c>?</c>
    /// and later rows name that slot as <c>?N</c>, a handful of numbered slots whatever the row count. (SQLite gives
    /// <c>?</c> the number after the highest seen so far, so numbers must only point back at the first row.)
    /// </remarks>
    public HranaStatement Build(IReadOnlyList<HranaValue[]> rows, int offset, int count)
    {
        var slots = _tokenIndexes.Length;
        var shared = new bool[slots];
        var sharedCount = 0;
        for (var t = 0; t < slots && count > 1; t++)
        {
            var first = rows[offset][_tokenIndexes[t] - 1];
            var same = true;
            for (var r = 1; r < count && same; r++)
            {
                same = first.HasSameValue(rows[offset + r][_tokenIndexes[t] - 1]);
            }

            shared[t] = same;
            sharedCount += same ? 1 : 0;
        }

        var rowLength = 0;
        foreach (var segment in _segments)
        {
            rowLength += segment.Length + 6;
        }

        var sql = new StringBuilder(_prefix.Length + (count * rowLength) + _suffix.Length);
        sql.Append(_prefix);
        var arguments = new HranaValue[slots + ((count - 1) * (slots - sharedCount))];
        var next = 0;
        for (var r = 0; r < count; r++)
        {
            if (r > 0)
            {
                sql.Append(',');
            }

            var row = rows[offset + r];
            for (var t = 0; t < slots; t++)
            {
                sql.Append(_segments[t]);
                if (r > 0 && shared[t])
                {
                    // Slot t + 1 is this token's anonymous '?' in the first row.
                    sql.Append('?').Append(t + 1);
                    continue;
                }

                sql.Append('?');
                arguments[next++] = row[_tokenIndexes[t] - 1];
            }

            sql.Append(_segments[^1]);
        }

        sql.Append(_suffix);
        return new HranaStatement(sql.ToString(), arguments, WantRows: false);
    }

    /// <summary><c>ON CONFLICT ... DO UPDATE ...</c> or <c>DO NOTHING</c>, with no RETURNING (one row each would come back).</summary>
    private static bool IsUpsertClause(string suffix)
    {
        if (!suffix.StartsWith("ON", StringComparison.OrdinalIgnoreCase) || suffix.Length < 3 || !char.IsWhiteSpace(suffix[2]))
        {
            return false;
        }

        if (!suffix.AsSpan(2).TrimStart().StartsWith("CONFLICT", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return FindTopLevelWord(suffix, "RETURNING", out _) < 0;
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
}
