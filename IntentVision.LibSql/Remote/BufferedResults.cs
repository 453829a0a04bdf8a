using IntentVision.LibSql.Execution;
using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Remote;

/// <summary>A server's answer, complete in memory: the statements' results, read set by set and row by row.</summary>
internal sealed class BufferedResults : StatementResults
{
    private readonly HranaStatementResult[] _sets;
    private int _setIndex;
    private HranaStatementResult? _current;
    private int _row = -1;

    public BufferedResults(IReadOnlyList<PlannedStatement> plan, HranaStatementResult[] results)
    {
        // Like SQLite's reader, statements that return no columns (DDL, DML) are run but are not result sets.
        _sets = results.Where(r => r.Columns.Count > 0).ToArray();
        _current = _sets.Length > 0 ? _sets[0] : null;
        RecordsAffected = CountAffected(results);
        for (var i = 0; i < results.Length; i++)
        {
            if (plan[i].Source.MainVerb is "INSERT" or "REPLACE" && results[i].AffectedRowCount > 0 && results[i].LastInsertRowId is { } rowId)
            {
                LastInsertRowId = rowId;
            }

            RowsRead += results[i].RowCount;
        }
    }

    public override IReadOnlyList<HranaColumn> Columns => _current?.Columns ?? [];

    public override bool HasRows => _current is { RowCount: > 0 };

    public override ReadOnlySpan<HranaValue> CurrentRow =>
        _current is { } set && _row >= 0 && _row < set.RowCount
            ? set.Values.AsSpan(_row * set.Columns.Count, set.Columns.Count)
            : throw new InvalidOperationException("No data exists for the row: call Read() first and check that it returned true.");

    public override int RecordsAffected { get; }

    public override long? LastInsertRowId { get; }

    public override long RowsRead { get; }

    /// <summary>
    /// Rows changed by the statements, as ADO.NET's RecordsAffected: the sum over statements that can change rows
    /// (those without result columns, or with RETURNING rows that changed some), or -1 when there was none.
    /// </summary>
    public static int CountAffected(IEnumerable<HranaStatementResult> results)
    {
        long total = 0;
        var any = false;
        foreach (var result in results)
        {
            if (result.Columns.Count == 0 || result.AffectedRowCount > 0)
            {
                total += result.AffectedRowCount;
                any = true;
            }
        }

        return any ? (int)Math.Min(total, int.MaxValue) : -1;
    }

    public override bool Read()
    {
        if (_current is null)
        {
            return false;
        }

        if (_row + 1 < _current.RowCount)
        {
            _row++;
            return true;
        }

        _row = _current.RowCount;
        return false;
    }

    public override bool NextResult()
    {
        _row = -1;
        if (_setIndex + 1 < _sets.Length)
        {
            _current = _sets[++_setIndex];
            return true;
        }

        _setIndex = _sets.Length;
        _current = null;
        return false;
    }

    public override HranaValueKind SampleKind(int ordinal)
    {
        if (_current is null || _current.RowCount == 0 || (uint)ordinal >= (uint)_current.Columns.Count)
        {
            return HranaValueKind.Null;
        }

        var row = _row < 0 ? 0 : Math.Min(_row, _current.RowCount - 1);
        return _current.Values[(row * _current.Columns.Count) + ordinal].Kind;
    }

    public override void Close() => _current = null;
}
