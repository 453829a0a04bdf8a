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
        var lookup = parameters.Count > 8 ? BuildLookup(parameters) : null;
        List<string>? missing = null;
        foreach (var token in statement.Parameters)
        {
            var parameter = token.IsNamed ? FindNamed(token.Name, parameters, lookup) : FindPositional(token, parameters);
            if (parameter is null)
            {
                (missing ??= []).Add(token.Name == "?" ? $"?{token.Index}" : token.Name);
                continue;
            }

            values[token.Index - 1] = ParameterValueConverter.ToHrana(parameter.Value, parameter.ExplicitDbType);
        }

        if (missing is not null)
        {
            throw new InvalidOperationException(
                $"Must add values for the following parameters: {string.Join(", ", missing.Distinct())}");
        }

        return values;
    }

    private static LibSqlParameter? FindNamed(string name, IReadOnlyList<LibSqlParameter> parameters, Dictionary<string, LibSqlParameter>? lookup)
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
            foreach (var p in parameters)
            {
                if (BareName(p.ParameterName).Equals(bare, StringComparison.Ordinal))
                {
                    return p;
                }
            }
        }

        // Case-insensitive fallback: harmless leniency, so a casing slip does not fail only on one backend.
        foreach (var p in parameters)
        {
            if (BareName(p.ParameterName).Equals(bare, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }

        return null;
    }

    private static LibSqlParameter? FindPositional(SqlParameterToken token, IReadOnlyList<LibSqlParameter> parameters)
    {
        if (token.IsNumbered)
        {
            foreach (var p in parameters)
            {
                if (string.Equals(p.ParameterName, token.Name, StringComparison.Ordinal))
                {
                    return p;
                }
            }
        }

        var position = token.Index - 1;
        if (position < parameters.Count && parameters[position].ParameterName.Length == 0)
        {
            return parameters[position];
        }

        // Positional binding with every parameter unnamed is the common case; otherwise count only the unnamed ones.
        var seen = 0;
        foreach (var p in parameters)
        {
            if (p.ParameterName.Length == 0 && seen++ == position)
            {
                return p;
            }
        }

        return null;
    }

    private static Dictionary<string, LibSqlParameter> BuildLookup(IReadOnlyList<LibSqlParameter> parameters)
    {
        var lookup = new Dictionary<string, LibSqlParameter>(parameters.Count, StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            if (p.ParameterName.Length > 0)
            {
                lookup.TryAdd(BareName(p.ParameterName).ToString(), p);
            }
        }

        return lookup;
    }

    private static ReadOnlySpan<char> BareName(string name) =>
        name.Length > 0 && name[0] is ':' or '@' or '$' ? name.AsSpan(1) : name.AsSpan();
}
