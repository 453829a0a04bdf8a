namespace IntentVision.LibSql.Sql;

/// <summary>
/// A parameter as written in a statement: where it is, its name as written (<c>:a</c>, <c>@a</c>, <c>$a</c>,
/// <c>?3</c>, or <c>?</c> for an anonymous one) and the 1-based index SQLite gives it.
/// </summary>
internal readonly record struct SqlParameterToken(int Start, int Length, string Name, int Index)
{
    public bool IsNamed => Name.Length > 1 && Name[0] != '?';

    public bool IsNumbered => Name.Length > 1 && Name[0] == '?';
}
