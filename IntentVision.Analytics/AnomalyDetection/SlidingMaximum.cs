namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>Maximum of the latest <c>window</c> values in amortised O(1) per addition (monotonic deque).</summary>
internal sealed class SlidingMaximum(int window)
{
    private readonly LinkedList<(long Index, double Value)> _deque = new();
    private long _index;

    /// <summary>Maximum of the values currently in the window; 0 when empty.</summary>
    public double Maximum => _deque.First?.Value.Value ?? 0;

    public void Add(double value)
    {
        while (_deque.Last is { } last && last.Value.Value <= value)
        {
            _deque.RemoveLast();
        }

        _deque.AddLast((_index, value));
        while (_deque.First!.Value.Index <= _index - window)
        {
            _deque.RemoveFirst();
        }

        _index++;
    }
}
