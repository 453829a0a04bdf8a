using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Sql;

/// <summary>
/// Resolves a statement's parameters to argument positions. Named parameters match a collection entry by name, with
/// or without its prefix (exact case first); <c>?</c> and <c>?NNN</c> match unnamed entries by position, as in
/// Microsoft.Data.Sqlite. Unused collection entries are ignored, since Dapper adds every property of an object.
/// </summary>
internal static class ParameterBinder
{
    public static HranaValue[] Bind(ParsedStatement statement, IReadOnlyList<LibSqlParameter> parameters)
    {
        if (statement.ParameterCount == 0)
        {
            return [];
        }

        var values = new HranaValue[statement.ParameterCount];
        Fill(Resolve(statement, parameters), parameters, values);
        return values;
    }

    /// <summary>
    /// For each SQLite index (0-based), the position in <paramref name="parameters"/> of the entry that binds it, or -1
    /// for an index no token uses. Throws naming every parameter without a value.
    /// </summary>
    public static int[] Resolve(ParsedStatement statement, IReadOnlyList<LibSqlParameter> parameters)
    {
        var positions = new int[statement.ParameterCount];
        Array.Fill(positions, -1);
        var lookup = parameters.Count > 8 ? BuildLookup(parameters) : null;
        List<string>? missing = null;
        foreach (var token in statement.Parameters)
        {
            var position = token.IsNamed ? FindNamed(token.Name, parameters, lookup) : FindPositional(token, parameters);
            if (position < 0)
            {
                (missing ??= []).Add(token.Name == "?" ? $"?{token.Index}" : token.Name);
                continue;
            }

            positions[token.Index - 1] = position;
        }

        if (missing is not null)
        {
            throw new InvalidOperationException(
                $"Must add values for the following parameters: {string.Join(", ", missing.Distinct())}");
        }

        return positions;
    }

    /// <summary>Converts the values that <paramref name="positions"/> (from <see cref="Resolve"/>) pick into <paramref name="values"/>, by SQLite index.</summary>
    public static void Fill(int[] positions, IReadOnlyList<LibSqlParameter> parameters, HranaValue[] values)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            var position = positions[i];
            values[i] = position < 0 ? HranaValue.Null : ParameterValueConverter.ToHrana(parameters[position].Value, parameters[position].ExplicitDbType);
        }
    }

    private static int FindNamed(string name, IReadOnlyList<LibSqlParameter> parameters, Dictionary<string, int>? lookup)
    {
        var bare = name.AsSpan(1);
        if (lookup is not null)
        {
            if (lookup.TryGetValue(name[1..], out var found))
            {
                return found;
            }
        }
        else
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (BareName(parameters[i].ParameterName).Equals(bare, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }

        // Case-insensitive fallback: harmless leniency, so a casing slip does not fail only on one backend.
        for (var i = 0; i < parameters.Count; i++)
        {
            if (BareName(parameters[i].ParameterName).Equals(bare, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static int FindPositional(SqlParameterToken token, IReadOnlyList<LibSqlParameter> parameters)
    {
        if (token.IsNumbered)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (string.Equals(parameters[i].ParameterName, token.Name, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }

        var position = token.Index - 1;
        if (position < parameters.Count && parameters[position].ParameterName.Length == 0)
        {
            return position;
        }

        // Positional binding with every parameter unnamed is the common case; otherwise count only the unnamed ones.
        var seen = 0;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].ParameterName.Length == 0 && seen++ == position)
            {
                return i;
            }
        }

        return -1;
    }

    private static Dictionary<string, int> BuildLookup(IReadOnlyList<LibSqlParameter> parameters)
    {
        var lookup = new Dictionary<string, int>(parameters.Count, StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].ParameterName.Length > 0)
            {
                lookup.TryAdd(BareName(parameters[i].ParameterName).ToString(), i);
            }
        }

        return lookup;
    }

    private static ReadOnlySpan<char> BareName(string name) =>
        name.Length > 0 && name[0] is ':' or '@' or '$' ? name.AsSpan(1) : name.AsSpan();
}
