namespace IntentVision.Data.Metrics;

/// <summary>The points of one series in one ingest, by timestamp (Unix milliseconds); a later point for a timestamp replaced an earlier one.</summary>
public sealed class SeriesPoints(SeriesKey key)
{
    public SeriesKey Key { get; } = key;

    public SortedList<long, double> Points { get; } = [];

    /// <summary>Points of the batch that repeated a timestamp of the same series (they count as updated).</summary>
    public int DuplicatesInBatch { get; private set; }

    /// <summary>Adds a point; within one batch the later point for a timestamp wins, as if the points had arrived one by one.</summary>
    public void Add(long timestamp, double value)
    {
        var keys = Points.Keys;
        if (keys.Count == 0 || timestamp > keys[^1])
        {
            Points.Add(timestamp, value);
        }
        else if (!Points.TryAdd(timestamp, value))
        {
            Points[timestamp] = value;
            DuplicatesInBatch++;
        }
    }
}
