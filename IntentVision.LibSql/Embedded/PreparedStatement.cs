using IntentVision.LibSql.Hrana;
using SQLitePCL;

namespace IntentVision.LibSql.Embedded;

/// <summary>
/// One statement prepared on a file's handle and kept while the connection is open. It remembers the values bound to
/// it (SQLite keeps bindings across resets), so running it again binds only what changed: stepping one INSERT per row
/// costs the row, not the re-binding of every column (Microsoft.Data.Sqlite re-binds every parameter by name on each
/// execution, which made an upsert cost twice the insert itself).
/// </summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly HranaValue[] _bound;
    private bool _anyBound;

    private PreparedStatement(sqlite3_stmt handle, string sql, bool cached)
    {
        Handle = handle;
        Sql = sql;
        Cached = cached;
        _bound = new HranaValue[raw.sqlite3_bind_parameter_count(handle)];
    }

    public sqlite3_stmt Handle { get; }

    public string Sql { get; }

    /// <summary>Kept in the session's cache (else finalized when released).</summary>
    public bool Cached { get; }

    /// <summary>Stepping for someone (an open reader); a second user of the same text gets a statement of its own.</summary>
    public bool InUse { get; set; }

    public int ColumnCount => raw.sqlite3_column_count(Handle);

    public static PreparedStatement Prepare(sqlite3 db, string sql, bool cached)
    {
        var rc = raw.sqlite3_prepare_v2(db, sql, out var handle);
        if (rc != raw.SQLITE_OK)
        {
            var error = SqliteErrors.From(db, rc, sql);
            handle?.Dispose();
            throw error;
        }

        return new PreparedStatement(handle, sql, cached);
    }

    /// <summary>Binds argument i to parameter index i + 1, skipping values identical to those already bound there.</summary>
    public void Bind(sqlite3 db, HranaValue[] arguments)
    {
        if (arguments.Length != _bound.Length)
        {
            throw new InvalidOperationException(
                $"The statement has {_bound.Length} parameter slots but {arguments.Length} values were resolved for it: {Sql}");
        }

        for (var i = 0; i < arguments.Length; i++)
        {
            ref var last = ref _bound[i];
            var value = arguments[i];
            if (_anyBound && last.IsSameAs(value))
            {
                continue;
            }

            var index = i + 1;
            var rc = value.Kind switch
            {
                HranaValueKind.Integer => raw.sqlite3_bind_int64(Handle, index, value.Integer),
                HranaValueKind.Float => raw.sqlite3_bind_double(Handle, index, value.Float),
                HranaValueKind.Text => raw.sqlite3_bind_text(Handle, index, value.Text),
                HranaValueKind.Blob when value.Blob.Length == 0 => raw.sqlite3_bind_zeroblob(Handle, index, 0),
                HranaValueKind.Blob => raw.sqlite3_bind_blob(Handle, index, value.Blob),
                _ => raw.sqlite3_bind_null(Handle, index),
            };
            if (rc != raw.SQLITE_OK)
            {
                _anyBound = false;
                throw SqliteErrors.From(db, rc, Sql);
            }

            last = value;
        }

        _anyBound = true;
    }

    /// <summary>The result columns: name and declared type (null for expressions).</summary>
    public HranaColumn[] ReadColumns()
    {
        var columns = new HranaColumn[ColumnCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new HranaColumn(raw.sqlite3_column_name(Handle, i).utf8_to_string() ?? string.Empty, raw.sqlite3_column_decltype(Handle, i).utf8_to_string());
        }

        return columns;
    }

    /// <summary>Copies the current row into <paramref name="row"/>, as the values a server would have sent.</summary>
    public void ReadRow(HranaValue[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = raw.sqlite3_column_type(Handle, i) switch
            {
                raw.SQLITE_INTEGER => HranaValue.FromInteger(raw.sqlite3_column_int64(Handle, i)),
                raw.SQLITE_FLOAT => HranaValue.FromFloat(raw.sqlite3_column_double(Handle, i)),
                raw.SQLITE_TEXT => HranaValue.FromText(raw.sqlite3_column_text(Handle, i).utf8_to_string() ?? string.Empty),
                raw.SQLITE_BLOB => HranaValue.FromBlob(raw.sqlite3_column_blob(Handle, i).ToArray()),
                _ => HranaValue.Null,
            };
        }
    }

    /// <summary>Ready to run again; the bindings stay.</summary>
    public void Reset() => raw.sqlite3_reset(Handle);

    public void Dispose() => Handle.Dispose();
}
