namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>A bounded ring of the latest values, indexed backwards from the newest.</summary>
internal sealed class ValueHistory(int capacity)
{
    private readonly double[] _buffer = new double[capacity];
    private long _count;

    /// <summary>Where the next value goes; kept as an int so reading back needs no 64-bit division.</summary>
    private int _next;

    public long Count => _count;

    public int Available => (int)Math.Min(_count, _buffer.Length);

    public int Capacity => _buffer.Length;

    public void Add(double value)
    {
        _buffer[_next] = value;
        if (++_next == _buffer.Length)
        {
            _next = 0;
        }

        _count++;
    }

    /// <summary>The value <paramref name="lag"/> steps back: lag 1 is the newest stored value.</summary>
    public double Back(int lag)
    {
        var i = _next - lag;
        return _buffer[i < 0 ? i + _buffer.Length : i];
    }

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
}
