using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Execution;

/// <summary>
/// The outcome of running commands, as the one <see cref="LibSqlDataReader"/> reads it: result sets (statements
/// that return columns) one after the other, rows one at a time, and the rows the statements changed. A file's
/// results are stepped as they are read; a server's arrive whole when they fit in one response (BufferedResults)
/// and stream through a cursor when a reader's do not (CursorResults): a large result never sits in memory.
/// </summary>
internal abstract class StatementResults
{
    /// <summary>The columns of the current result set; empty when there is none (left).</summary>
    public abstract IReadOnlyList<HranaColumn> Columns { get; }

    public abstract bool HasRows { get; }

    /// <summary>The row <see cref="Read"/> moved to.</summary>
    public abstract ReadOnlySpan<HranaValue> CurrentRow { get; }

    /// <summary>Rows changed by the statements run so far (final once every result set was read), or -1 when none could change rows.</summary>
    public abstract int RecordsAffected { get; }

    /// <summary>The rowid of the last row an INSERT of these commands added, if any.</summary>
    public abstract long? LastInsertRowId { get; }

    /// <summary>Rows the results returned so far, for telemetry.</summary>
    public abstract long RowsRead { get; }

    public abstract bool Read();

    /// <summary>Read without blocking a thread while a server's next rows are on their way; results already at hand answer at once.</summary>
    public virtual ValueTask<bool> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Read());

    /// <summary>Moves to the next result set, running the statements without columns on the way.</summary>
    public abstract bool NextResult();

    public virtual ValueTask<bool> NextResultAsync(CancellationToken cancellationToken) => ValueTask.FromResult(NextResult());

    /// <summary>The kind of a value in the current row, or in the first row before the first Read (SQLite has stepped it by then).</summary>
    public abstract HranaValueKind SampleKind(int ordinal);

    /// <summary>Runs what is left (a script's later statements), then gives the statements back.</summary>
    public abstract void Close();

    public virtual ValueTask CloseAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    /// <summary>ExecuteNonQuery: runs everything, reads nothing.</summary>
    public int Drain()
    {
        try
        {
            while (NextResult())
            {
            }

            return RecordsAffected;
        }
        finally
        {
            Close();
        }
    }

    /// <summary>ExecuteScalar: the first column of the first row of the first result set, after running everything.</summary>
    public object? FirstScalarThenDrain()
    {
        try
        {
            object? value = null;
            if (Columns.Count > 0 && Read())
            {
                value = CurrentRow[0].ToObject();
            }

            while (NextResult())
            {
            }

            return value;
        }
        finally
        {
            Close();
        }
    }
}
