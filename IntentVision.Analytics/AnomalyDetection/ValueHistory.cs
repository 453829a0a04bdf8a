namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>A bounded ring of the latest values, indexed backwards from the newest.</summary>
internal sealed class ValueHistory(int capacity)
{
    private readonly double[] _buffer = new double[capacity];
    private long _count;

    public long Count => _count;

    public int Available => (int)Math.Min(_count, _buffer.Length);

    public int Capacity => _buffer.Length;

    public void Add(double value)
    {
        _buffer[_count % _buffer.Length] = value;
        _count++;
    }

    /// <summary>The value <paramref name="lag"/> steps back: lag 1 is the newest stored value.</summary>
    public double Back(int lag) => _buffer[(_count - lag) % _buffer.Length];

    public bool Has(int lag) => lag >= 1 && lag <= Available;

    /// <summary>Copies the latest <paramref name="length"/> values, oldest first.</summary>
    public void CopyLatest(Span<double> destination)
    {
        var length = destination.Length;
        for (var i = 0; i < length; i++)
        {
            destination[i] = Back(length - i);
        }
    }
}
