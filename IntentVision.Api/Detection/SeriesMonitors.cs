using IntentVision.Data.Metrics;

namespace IntentVision.Api.Detection;

/// <summary>
/// The monitors in memory, least recently used first out. Not thread-safe: only the detection stage touches it, under
/// its gate.
/// </summary>
internal sealed class SeriesMonitors(int capacity)
{
    private readonly Dictionary<long, LinkedListNode<MonitoredSeries>> _bySeries = [];
    private readonly Dictionary<SeriesKey, MonitoredSeries> _byKey = [];
    private readonly LinkedList<MonitoredSeries> _byUse = [];

    public int Count => _bySeries.Count;

    public IEnumerable<MonitoredSeries> All => _byUse;

    /// <summary>The series' monitor, marked as just used; null when not in memory.</summary>
    public MonitoredSeries? Touch(long seriesId)
    {
        if (!_bySeries.TryGetValue(seriesId, out var node))
        {
            return null;
        }

        _byUse.Remove(node);
        _byUse.AddLast(node);
        return node.Value;
    }

    /// <summary>The monitor of the series with this key, if in memory (its use is not recorded).</summary>
    public MonitoredSeries? Find(SeriesKey key) => _byKey.GetValueOrDefault(key);

    /// <summary>Adds a monitor; returns the ones pushed out to stay within capacity (never one in <paramref name="keep"/>).</summary>
    public List<MonitoredSeries> Add(MonitoredSeries series, IReadOnlySet<long> keep)
    {
        Remove(series.SeriesId);
        _bySeries[series.SeriesId] = _byUse.AddLast(series);
        _byKey[series.Key] = series;
        var evicted = new List<MonitoredSeries>();
        var node = _byUse.First;
        while (_bySeries.Count > Math.Max(1, capacity) && node is not null)
        {
            var next = node.Next;
            if (!keep.Contains(node.Value.SeriesId))
            {
                _byUse.Remove(node);
                _bySeries.Remove(node.Value.SeriesId);
                _byKey.Remove(node.Value.Key);
                evicted.Add(node.Value);
            }

            node = next;
        }

        return evicted;
    }

    public void Remove(long seriesId)
    {
        if (_bySeries.Remove(seriesId, out var node))
        {
            _byUse.Remove(node);
            _byKey.Remove(node.Value.Key);
        }
    }
}
