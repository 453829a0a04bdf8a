namespace IntentVision.LibSql.Hrana;

/// <summary>
/// The result of one statement. Rows are stored row-major in one flat array: cell (r, c) is
/// <c>Values[r * Columns.Count + c]</c>.
/// </summary>
internal sealed record HranaStatementResult(
    IReadOnlyList<HranaColumn> Columns,
    HranaValue[] Values,
    int RowCount,
    long AffectedRowCount,
    long? LastInsertRowId)
{
    public static readonly HranaStatementResult Empty = new([], [], 0, 0, null);
}
