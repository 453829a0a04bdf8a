using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Sql;

/// <summary>
/// Which entry of a command's parameter list binds each index of a statement. A batch of rows repeats one statement
/// with the same parameter names in the same order, so the plan of one row serves the next: each row then only
/// converts its values, without looking a name up (the same names pick the same entries).
/// </summary>
internal sealed class BindingPlan
{
    private readonly ParsedStatement _statement;
    private readonly string[] _names;
    private readonly int[] _positions;
    private readonly HranaValue[] _values;

    private BindingPlan(ParsedStatement statement, IReadOnlyList<LibSqlParameter> parameters)
    {
        _statement = statement;
        _positions = ParameterBinder.Resolve(statement, parameters);
        _names = new string[parameters.Count];
        for (var i = 0; i < _names.Length; i++)
        {
            _names[i] = parameters[i].ParameterName;
        }

        _values = new HranaValue[statement.ParameterCount];
    }

    /// <summary>The previous plan when it fits <paramref name="statement"/> and these parameters, else a new one.</summary>
    public static BindingPlan For(ParsedStatement statement, IReadOnlyList<LibSqlParameter> parameters, BindingPlan? previous) =>
        previous is not null && previous.Fits(statement, parameters) ? previous : new BindingPlan(statement, parameters);

    /// <summary>The values by SQLite index, in a buffer reused by the next call (bind them before then).</summary>
    public HranaValue[] Values(IReadOnlyList<LibSqlParameter> parameters)
    {
        ParameterBinder.Fill(_positions, parameters, _values);
        return _values;
    }

    private bool Fits(ParsedStatement statement, IReadOnlyList<LibSqlParameter> parameters)
    {
        if (!ReferenceEquals(statement, _statement) || parameters.Count != _names.Length)
        {
            return false;
        }

        for (var i = 0; i < _names.Length; i++)
        {
            var name = parameters[i].ParameterName;
            if (!ReferenceEquals(name, _names[i]) && !string.Equals(name, _names[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
