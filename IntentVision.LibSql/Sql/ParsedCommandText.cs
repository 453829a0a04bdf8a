namespace IntentVision.LibSql.Sql;

/// <summary>A command text cut into statements, with the multi-row form of a single INSERT computed once.</summary>
internal sealed class ParsedCommandText
{
    private readonly Lazy<MultiRowInsert?> _multiRow;

    public ParsedCommandText(IReadOnlyList<ParsedStatement> statements)
    {
        Statements = statements;
        _multiRow = new Lazy<MultiRowInsert?>(() => statements.Count == 1 ? MultiRowInsert.TryCreate(statements[0]) : null);
    }

    public IReadOnlyList<ParsedStatement> Statements { get; }

    public MultiRowInsert? MultiRow => _multiRow.Value;
}
