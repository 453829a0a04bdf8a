namespace IntentVision.LibSql.Hrana;

/// <summary>
/// One SQLite value, as it crosses the wire to a server and as a file's statement is bound and read. A struct with the number inline and the string or blob by reference,
/// so a result of 100,000 rows is one flat array rather than a box per cell.
/// </summary>
internal readonly struct HranaValue
{
    private readonly long _bits;
    private readonly object? _reference;

    private HranaValue(HranaValueKind kind, long bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _reference = reference;
    }

    public HranaValueKind Kind { get; }

    public bool IsNull => Kind == HranaValueKind.Null;

    public long Integer => _bits;

    public double Float => BitConverter.Int64BitsToDouble(_bits);

    public string Text => (string)_reference!;

    public byte[] Blob => (byte[])_reference!;

    public static HranaValue Null => default;

    public static HranaValue FromInteger(long value) => new(HranaValueKind.Integer, value, null);

    public static HranaValue FromFloat(double value) => new(HranaValueKind.Float, BitConverter.DoubleToInt64Bits(value), null);

    public static HranaValue FromText(string value) => new(HranaValueKind.Text, 0, value);

    public static HranaValue FromBlob(byte[] value) => new(HranaValueKind.Blob, 0, value);

    /// <summary>The same kind and the same number, or the very same string or blob object (a cheap "unchanged" test).</summary>
    public bool IsSameAs(in HranaValue other) =>
        Kind == other.Kind && _bits == other._bits && ReferenceEquals(_reference, other._reference);

    /// <summary>The same SQLite value: same kind and number, or equal text or bytes.</summary>
    public bool HasSameValue(in HranaValue other) =>
        IsSameAs(other)
        || (Kind == other.Kind && Kind switch
        {
            HranaValueKind.Text => string.Equals(Text, other.Text, StringComparison.Ordinal),
            HranaValueKind.Blob => Blob.AsSpan().SequenceEqual(other.Blob),
            _ => false,
        });

    /// <summary>The value as ADO.NET's <c>GetValue</c> returns it for SQLite: long, double, string, byte[] or DBNull.</summary>
    public object ToObject() => Kind switch
    {
        HranaValueKind.Integer => _bits,
        HranaValueKind.Float => Float,
        HranaValueKind.Text => _reference!,
        HranaValueKind.Blob => _reference!,
        _ => DBNull.Value,
    };
}
