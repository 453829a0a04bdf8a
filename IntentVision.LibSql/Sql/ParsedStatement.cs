using System.Globalization;
using System.Text;

namespace IntentVision.LibSql.Sql;

/// <summary>One statement cut from a command text, with its parameters resolved to SQLite's indexes.</summary>
/// <param name="Sql">The statement without its terminating semicolon.</param>
/// <param name="Parameters">Every parameter occurrence, in text order.</param>
/// <param name="ParameterCount">The largest parameter index (SQLite's <c>sqlite3_bind_parameter_count</c>).</param>
/// <param name="Verb">The first keyword, upper-cased (<c>SELECT</c>, <c>INSERT</c>, <c>WITH</c>, ...): telemetry's operation name.</param>
/// <param name="MainVerb">The statement's real action: the verb, or for <c>WITH</c> the SELECT/INSERT/... the CTEs lead to.</param>
internal sealed record ParsedStatement(string Sql, IReadOnlyList<SqlParameterToken> Parameters, int ParameterCount, string Verb, string MainVerb)
{
    /// <summary>
    /// Set once, by whichever thread asks first. A reference, not the nullable tuple it was: statements are shared
    /// through the data source's <see cref="SqlTextCache"/>, and a tuple of two references with its flag is written in
    /// parts, so a second thread could read the flag set and the names still null and send named parameters without
    /// their names (sqld: "value for parameter @OrganizationId not found").
    /// </summary>
    private WireForm? _wire;

    /// <summary>True for statements that cannot write, so a request made only of them is safe to send twice.</summary>
    public bool IsReadOnly => MainVerb is "SELECT" or "VALUES" or "EXPLAIN";

    /// <summary>
    /// How the statement goes on the wire. sqld binds either positional or named arguments, never both: a statement
    /// with only named parameters is sent as is with named arguments (names per index), one with only <c>?</c>/<c>?NNN</c>
    /// as is with positional ones, and a mix is rewritten with every named parameter as <c>?NNN</c> of its own index,
    /// which SQLite binds to exactly the same slot.
    /// </summary>
    public (string Sql, string[]? Names) Wire => (_wire ??= new WireForm(ComputeWire())).Value;

    private (string Sql, string[]? Names) ComputeWire()
    {
        var named = 0;
        foreach (var token in Parameters)
        {
            if (token.IsNamed)
            {
                named++;
            }
        }

        if (named == 0)
        {
            return (Sql, null);
        }

        if (named == Parameters.Count)
        {
            var names = new string[ParameterCount];
            foreach (var token in Parameters)
            {
                names[token.Index - 1] = token.Name;
            }

            return (Sql, names);
        }

        var sql = new StringBuilder(Sql.Length + 8);
        var cursor = 0;
        foreach (var token in Parameters)
        {
            sql.Append(Sql, cursor, token.Start - cursor);
            sql.Append('?').Append(token.Index.ToString(CultureInfo.InvariantCulture));
            cursor = token.Start + token.Length;
        }

        sql.Append(Sql, cursor, Sql.Length - cursor);
        return (sql.ToString(), null);
    }

    private sealed class WireForm((string Sql, string[]? Names) value)
    {
        public (string Sql, string[]? Names) Value { get; } = value;
    }
}
