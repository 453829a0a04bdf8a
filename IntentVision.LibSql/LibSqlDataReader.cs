using System.Collections;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using IntentVision.LibSql.Execution;
using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql;

/// <summary>
/// Reads the results of a <see cref="LibSqlCommand"/> or <see cref="LibSqlBatch"/>, on a file or a server alike. On a
/// file the statement is stepped row by row as the reader moves; on a server a result that fits in one response
/// arrives in it, and a larger result of read-only statements (past the server's response limit, 10 MB on sqld)
/// streams through a Hrana cursor, parsed as it arrives. Either way a large result never sits in memory. Values convert
/// like Microsoft.Data.Sqlite's: <see cref="GetValue"/> gives long, double, string, byte[] or DBNull, and typed getters
/// coerce as SQLite does (text dates to <see cref="DateTime"/>, 16-byte blobs to <see cref="Guid"/>, ...).
/// </summary>
public sealed class LibSqlDataReader : DbDataReader
{
    private readonly StatementResults _results;
    private readonly LibSqlConnection? _closeConnection;
    private bool _onRow;
    private bool _closed;

    internal LibSqlDataReader(StatementResults results, LibSqlConnection? closeConnection)
    {
        _results = results;
        _closeConnection = closeConnection;
    }

    public override int Depth => 0;

    public override int FieldCount => Columns.Count;

    public override bool HasRows => !_closed && _results.HasRows;

    public override bool IsClosed => _closed;

    /// <summary>Rows changed by the statements run so far; final once every result set has been read (or the reader closed).</summary>
    public override int RecordsAffected => _results.RecordsAffected;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        ThrowIfClosed();
        _onRow = _results.Read();
        return _onRow;
    }

    public override Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        _onRow = false;
        var reading = _results.ReadAsync(cancellationToken);
        if (reading.IsCompletedSuccessfully)
        {
            _onRow = reading.Result;
            return _onRow ? TrueTask : FalseTask;
        }

        return AwaitRowAsync(reading);
    }

    public override bool NextResult()
    {
        ThrowIfClosed();
        _onRow = false;
        return _results.NextResult();
    }

    public override async Task<bool> NextResultAsync(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        _onRow = false;
        return await _results.NextResultAsync(cancellationToken).ConfigureAwait(false);
    }

    public override string GetName(int ordinal) => Column(ordinal).Name;

    public override int GetOrdinal(string name)
    {
        var columns = Columns;
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, $"The result has no column named '{name}'.");
    }

    /// <summary>The declared type of the column (<c>INTEGER</c>, <c>TEXT</c>, ...), or the storage class of the value for expressions.</summary>
    public override string GetDataTypeName(int ordinal)
    {
        var declared = Column(ordinal).DeclaredType;
        if (!string.IsNullOrEmpty(declared))
        {
            return declared;
        }

        return SampleKind(ordinal) switch
        {
            HranaValueKind.Integer => "INTEGER",
            HranaValueKind.Float => "REAL",
            HranaValueKind.Text => "TEXT",
            _ => "BLOB",
        };
    }

    /// <summary>The .NET type of the value in the current row, or, for NULL, the type the declared column type suggests.</summary>
    public override Type GetFieldType(int ordinal)
    {
        var kind = SampleKind(ordinal);
        if (kind == HranaValueKind.Null)
        {
            kind = AffinityOf(Column(ordinal).DeclaredType);
        }

        return kind switch
        {
            HranaValueKind.Integer => typeof(long),
            HranaValueKind.Float => typeof(double),
            HranaValueKind.Text => typeof(string),
            _ => typeof(byte[]),
        };
    }

    public override object GetValue(int ordinal) => Cell(ordinal).ToObject();

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override bool IsDBNull(int ordinal) => Cell(ordinal).IsNull;

    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => IsDBNull(ordinal) ? TrueTask : FalseTask;

    public override bool GetBoolean(int ordinal) => GetInt64(ordinal) != 0;

    public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));

    public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));

    public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));

    public override long GetInt64(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind switch
        {
            HranaValueKind.Integer => value.Integer,
            HranaValueKind.Float => (long)value.Float,
            HranaValueKind.Text => ParseLeadingInteger(value.Text),
            _ => ParseLeadingInteger(Encoding.UTF8.GetString(value.Blob)),
        };
    }

    public override double GetDouble(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind switch
        {
            HranaValueKind.Float => value.Float,
            HranaValueKind.Integer => value.Integer,
            HranaValueKind.Text => double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0,
            _ => 0,
        };
    }

    public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);

    public override decimal GetDecimal(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind switch
        {
            HranaValueKind.Integer => value.Integer,
            HranaValueKind.Float => (decimal)value.Float,
            _ => decimal.Parse(GetString(ordinal), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture),
        };
    }

    public override string GetString(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind switch
        {
            HranaValueKind.Text => value.Text,
            HranaValueKind.Integer => value.Integer.ToString(CultureInfo.InvariantCulture),
            HranaValueKind.Float => FormatReal(value.Float),
            _ => Encoding.UTF8.GetString(value.Blob),
        };
    }

    public override char GetChar(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind == HranaValueKind.Integer ? (char)value.Integer : GetString(ordinal)[0];
    }

    public override DateTime GetDateTime(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind switch
        {
            HranaValueKind.Integer or HranaValueKind.Float => FromJulianDay(GetDouble(ordinal)),
            // As Microsoft.Data.Sqlite 11: text with an offset becomes UTC, text without one stays unspecified.
            _ => DateTime.Parse(GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
        };
    }

    public override Guid GetGuid(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind == HranaValueKind.Blob && value.Blob.Length == 16 ? new Guid(value.Blob) : Guid.Parse(GetString(ordinal));
    }

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = GetBlob(ordinal);
        if (buffer is null)
        {
            return bytes.Length;
        }

        var count = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        Array.Copy(bytes, dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null)
        {
            return text.Length;
        }

        var count = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
        text.CopyTo((int)dataOffset, buffer, bufferOffset, count);
        return count;
    }

    public override Stream GetStream(int ordinal) => new MemoryStream(GetBlob(ordinal), writable: false);

    public override TextReader GetTextReader(int ordinal) => new StringReader(GetString(ordinal));

    public override T GetFieldValue<T>(int ordinal)
    {
        if (typeof(T) == typeof(object))
        {
            return (T)GetValue(ordinal);
        }

        if (default(T) is null && Cell(ordinal).IsNull && (typeof(T).IsClass || Nullable.GetUnderlyingType(typeof(T)) is not null))
        {
            return default!;
        }

        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        object result = type switch
        {
            _ when type == typeof(long) => GetInt64(ordinal),
            _ when type == typeof(int) => GetInt32(ordinal),
            _ when type == typeof(string) => GetString(ordinal),
            _ when type == typeof(double) => GetDouble(ordinal),
            _ when type == typeof(bool) => GetBoolean(ordinal),
            _ when type == typeof(byte[]) => GetBlob(ordinal),
            _ when type == typeof(DateTime) => GetDateTime(ordinal),
            _ when type == typeof(DateTimeOffset) => GetDateTimeOffset(ordinal),
            _ when type == typeof(DateOnly) => GetDateOnly(ordinal),
            _ when type == typeof(TimeOnly) => GetTimeOnly(ordinal),
            _ when type == typeof(TimeSpan) => GetTimeSpan(ordinal),
            _ when type == typeof(Guid) => GetGuid(ordinal),
            _ when type == typeof(decimal) => GetDecimal(ordinal),
            _ when type == typeof(float) => GetFloat(ordinal),
            _ when type == typeof(short) => GetInt16(ordinal),
            _ when type == typeof(byte) => GetByte(ordinal),
            _ when type == typeof(char) => GetChar(ordinal),
            _ when type == typeof(sbyte) => checked((sbyte)GetInt64(ordinal)),
            _ when type == typeof(ushort) => checked((ushort)GetInt64(ordinal)),
            _ when type == typeof(uint) => checked((uint)GetInt64(ordinal)),
            _ when type == typeof(ulong) => unchecked((ulong)GetInt64(ordinal)),
            _ when type == typeof(Stream) => GetStream(ordinal),
            _ when type == typeof(TextReader) => GetTextReader(ordinal),
            _ when type.IsEnum => Enum.ToObject(type, GetInt64(ordinal)),
            _ => Convert.ChangeType(GetValue(ordinal), type, CultureInfo.InvariantCulture),
        };
        return (T)result;
    }

    public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken) => Task.FromResult(GetFieldValue<T>(ordinal));

    public DateTimeOffset GetDateTimeOffset(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind is HranaValueKind.Integer or HranaValueKind.Float
            ? new DateTimeOffset(FromJulianDay(GetDouble(ordinal)))
            : DateTimeOffset.Parse(GetString(ordinal), CultureInfo.InvariantCulture);
    }

    public DateOnly GetDateOnly(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind is HranaValueKind.Integer or HranaValueKind.Float
            ? DateOnly.FromDateTime(FromJulianDay(GetDouble(ordinal)))
            : DateOnly.Parse(GetString(ordinal), CultureInfo.InvariantCulture);
    }

    public TimeOnly GetTimeOnly(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind is HranaValueKind.Integer or HranaValueKind.Float
            ? TimeOnly.FromDateTime(FromJulianDay(GetDouble(ordinal)))
            : TimeOnly.Parse(GetString(ordinal), CultureInfo.InvariantCulture);
    }

    public TimeSpan GetTimeSpan(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind is HranaValueKind.Integer or HranaValueKind.Float
            ? TimeSpan.FromDays(GetDouble(ordinal))
            : TimeSpan.Parse(GetString(ordinal), CultureInfo.InvariantCulture);
    }

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override DataTable GetSchemaTable()
    {
        var table = new DataTable("SchemaTable");
        var columnName = table.Columns.Add(SchemaTableColumn.ColumnName, typeof(string));
        var ordinal = table.Columns.Add(SchemaTableColumn.ColumnOrdinal, typeof(int));
        var size = table.Columns.Add(SchemaTableColumn.ColumnSize, typeof(int));
        var precision = table.Columns.Add(SchemaTableColumn.NumericPrecision, typeof(short));
        var scale = table.Columns.Add(SchemaTableColumn.NumericScale, typeof(short));
        var dataType = table.Columns.Add(SchemaTableColumn.DataType, typeof(Type));
        var dataTypeName = table.Columns.Add("DataTypeName", typeof(string));
        var allowNull = table.Columns.Add(SchemaTableColumn.AllowDBNull, typeof(bool));
        var baseColumn = table.Columns.Add(SchemaTableColumn.BaseColumnName, typeof(string));
        var isExpression = table.Columns.Add(SchemaTableColumn.IsExpression, typeof(bool));
        var isKey = table.Columns.Add(SchemaTableColumn.IsKey, typeof(bool));
        var isUnique = table.Columns.Add(SchemaTableColumn.IsUnique, typeof(bool));
        var isLong = table.Columns.Add(SchemaTableColumn.IsLong, typeof(bool));
        var isAliased = table.Columns.Add(SchemaTableColumn.IsAliased, typeof(bool));
        for (var i = 0; i < FieldCount; i++)
        {
            var column = Column(i);
            var row = table.NewRow();
            row[columnName] = column.Name;
            row[ordinal] = i;
            row[size] = -1;
            row[precision] = DBNull.Value;
            row[scale] = DBNull.Value;
            row[dataType] = GetFieldType(i);
            row[dataTypeName] = GetDataTypeName(i);
            // Hrana reports only names and declared types; nullability and keys are not known, so stay permissive.
            row[allowNull] = true;
            row[baseColumn] = column.Name;
            row[isExpression] = column.DeclaredType is null;
            row[isKey] = false;
            row[isUnique] = false;
            row[isLong] = false;
            row[isAliased] = false;
            table.Rows.Add(row);
        }

        return table;
    }

    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _onRow = false;
        try
        {
            _results.Close();
        }
        finally
        {
            _closeConnection?.Close();
        }
    }

    /// <summary>Closes without blocking a thread on what closing a server's streaming reader waits for (its stream's close).</summary>
    public override async Task CloseAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _onRow = false;
        try
        {
            await _results.CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_closeConnection is not null)
            {
                await _closeConnection.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    private async Task<bool> AwaitRowAsync(ValueTask<bool> reading)
    {
        _onRow = await reading.ConfigureAwait(false);
        return _onRow;
    }

    private static readonly Task<bool> TrueTask = Task.FromResult(true);
    private static readonly Task<bool> FalseTask = Task.FromResult(false);

    private IReadOnlyList<HranaColumn> Columns
    {
        get
        {
            ThrowIfClosed();
            return _results.Columns;
        }
    }

    private HranaColumn Column(int ordinal)
    {
        var columns = Columns;
        if ((uint)ordinal >= (uint)columns.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"The result has {columns.Count} columns.");
        }

        return columns[ordinal];
    }

    private HranaValue Cell(int ordinal)
    {
        var columns = Columns;
        if ((uint)ordinal >= (uint)columns.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"The result has {columns.Count} columns.");
        }

        if (!_onRow)
        {
            throw new InvalidOperationException("No data exists for the row/column: call Read() first and check that it returned true.");
        }

        return _results.CurrentRow[ordinal];
    }

    private HranaValue NonNullCell(int ordinal)
    {
        var value = Cell(ordinal);
        if (value.IsNull)
        {
            throw new InvalidCastException($"The data is NULL at ordinal {ordinal}. This method can't be called on NULL values. Check using IsDBNull before calling.");
        }

        return value;
    }

    private byte[] GetBlob(int ordinal)
    {
        var value = NonNullCell(ordinal);
        return value.Kind == HranaValueKind.Blob ? value.Blob : Encoding.UTF8.GetBytes(GetString(ordinal));
    }

    /// <summary>The kind of the value in the current row, or in the first row before Read() (as SQLite has stepped it by then).</summary>
    private HranaValueKind SampleKind(int ordinal) =>
        (uint)ordinal < (uint)Columns.Count ? _results.SampleKind(ordinal) : HranaValueKind.Null;

    /// <summary>SQLite's column affinity rules (datatype3.html §3.1) applied to a declared type.</summary>
    private static HranaValueKind AffinityOf(string? declared)
    {
        if (string.IsNullOrEmpty(declared))
        {
            return HranaValueKind.Blob;
        }

        if (declared.Contains("INT", StringComparison.OrdinalIgnoreCase))
        {
            return HranaValueKind.Integer;
        }

        if (declared.Contains("CHAR", StringComparison.OrdinalIgnoreCase)
            || declared.Contains("CLOB", StringComparison.OrdinalIgnoreCase)
            || declared.Contains("TEXT", StringComparison.OrdinalIgnoreCase))
        {
            return HranaValueKind.Text;
        }

        if (declared.Contains("BLOB", StringComparison.OrdinalIgnoreCase))
        {
            return HranaValueKind.Blob;
        }

        return HranaValueKind.Float;
    }

    private static long ParseLeadingInteger(string text)
    {
        var span = text.AsSpan().TrimStart();
        var end = 0;
        if (end < span.Length && span[end] is '-' or '+')
        {
            end++;
        }

        while (end < span.Length && char.IsAsciiDigit(span[end]))
        {
            end++;
        }

        if (long.TryParse(span[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : 0;
    }

    /// <summary>SQLite renders a whole REAL as "2.0", not "2".</summary>
    private static string FormatReal(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return double.IsFinite(value) && text.AsSpan().IndexOfAny(".eE") < 0 ? text + ".0" : text;
    }

    private static DateTime FromJulianDay(double julianDay) => DateTime.FromOADate(julianDay - 2415018.5);

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new InvalidOperationException("The data reader is closed.");
        }
    }
}
