namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>Maximum of the latest <c>window</c> values in amortised O(1) per addition (monotonic deque on a ring buffer).</summary>
internal sealed class SlidingMaximum(int window)
{
    private readonly long[] _indices = new long[window + 1];
    private readonly double[] _values = new double[window + 1];
    private int _head;
    private int _count;
    private long _index;

    /// <summary>Maximum of the values currently in the window; 0 when empty.</summary>
    public double Maximum => _count > 0 ? _values[_head] : 0;

    public void Add(double value)
    {
        var capacity = _values.Length;
        while (_count > 0 && _values[(_head + _count - 1) % capacity] <= value)
        {
            _count--;
        }

        var tail = (_head + _count) % capacity;
        _indices[tail] = _index;
        _values[tail] = value;
        _count++;
        while (_indices[_head] <= _index - window)
        {
            _head = (_head + 1) % capacity;
            _count--;
        }

        _index++;
    }
}
