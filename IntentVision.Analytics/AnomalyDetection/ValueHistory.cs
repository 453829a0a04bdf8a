using System.Runtime.CompilerServices;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>A bounded ring of the latest values, indexed backwards from the newest.</summary>
internal sealed class ValueHistory(int capacity)
{
    private readonly double[] _buffer = new double[capacity];
    private long _count;

    /// <summary>Where the next value goes; kept as an int so reading back needs no 64-bit division.</summary>
    private int _next;

    public long Count => _count;

    public int Available
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (int)Math.Min(_count, _buffer.Length);
    }

    public int Capacity => _buffer.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value)
    {
        _buffer[_next] = value;
        if (++_next == _buffer.Length)
        {
            _next = 0;
        }

        _count++;
    }

    public void Clear()
    {
        _count = 0;
        _next = 0;
    }

    /// <summary>The value <paramref name="lag"/> steps back: lag 1 is the newest stored value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Back(int lag)
    {
        var i = _next - lag;
        return _buffer[i < 0 ? i + _buffer.Length : i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Has(int lag) => lag >= 1 && lag <= Available;

    /// <summary>Copies the latest <paramref name="length"/> values, oldest first.</summary>
    public void CopyLatest(Span<double> destination)
    {
        var length = destination.Length;
        var start = _next - length;
        if (start >= 0)
        {
            _buffer.AsSpan(start, length).CopyTo(destination);
            return;
        }

        // Wrapped: the older part sits at the end of the buffer.
        var older = -start;
        _buffer.AsSpan(_buffer.Length - older, older).CopyTo(destination);
        _buffer.AsSpan(0, _next).CopyTo(destination[older..]);
    }

    /// <summary>Writes the count, the write position and the filled part of the ring (all of it once it has wrapped).</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_count);
        writer.Write(_next);
        writer.WriteDoubles(_buffer.AsSpan(0, Available));
    }

    public void Load(BinaryReader reader)
    {
        _count = reader.ReadInt64();
        _next = reader.ReadInt32();
        var filled = reader.ReadDoubles(_buffer);
        StateBinary.Expect(_count >= 0 && filled == Available && _next >= 0 && _next < _buffer.Length, "value history");
    }
}
