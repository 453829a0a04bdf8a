namespace IntentVision.LibSql.Hrana;

/// <summary>
/// One SQL statement with its arguments. The client resolves parameters to SQLite's own indexes before sending:
/// argument i binds parameter index i + 1, by position, or by the name in <see cref="ArgumentNames"/> when set.
/// </summary>
/// <param name="Sql">Exactly one statement (Hrana refuses several in one <c>execute</c>).</param>
/// <param name="Arguments">Argument i binds SQLite parameter index i + 1.</param>
/// <param name="WantRows">False for statements whose rows nobody reads, so the server sends none.</param>
/// <param name="ArgumentNames">For a statement whose parameters are all named: the name (with prefix) of each index.</param>
internal sealed record HranaStatement(string Sql, HranaValue[] Arguments, bool WantRows = true, string[]? ArgumentNames = null)
{
    public static HranaStatement Plain(string sql) => new(sql, [], WantRows: false);
}
