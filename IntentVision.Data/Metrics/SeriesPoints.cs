using System.Globalization;
using System.Text;

namespace IntentVision.Data.Metrics;

/// <summary>The points of one series in one ingest, by timestamp (Unix milliseconds); a later point for a timestamp replaced an earlier one.</summary>
public sealed class SeriesPoints(SeriesKey key)
{
    public SeriesKey Key { get; } = key;

    public SortedList<long, double> Points { get; } = [];

    /// <summary>Points of the batch that repeated a timestamp of the same series (they count as updated).</summary>
    public int DuplicatesInBatch { get; private set; }

    private string? _pointsJson;

    /// <summary>
    /// The points as a JSON array of [ts, value] pairs with round-trip numbers: what a server's statement reads with
    /// <c>json_each</c> (see <see cref="IngestWriter"/>). Built once; <see cref="IngestBatch.Create"/> builds it on the
    /// caller's thread for a server, so the one writer does not spend its time formatting numbers.
    /// </summary>
    public string PointsJson => _pointsJson ??= Encode(Points);

    /// <summary>Adds a point; within one batch the later point for a timestamp wins, as if the points had arrived one by one.</summary>
    public void Add(long timestamp, double value)
    {
        _pointsJson = null;
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

    private static string Encode(SortedList<long, double> points)
    {
        var json = new StringBuilder(points.Count * 28);
        json.Append('[');
        var keys = points.Keys;
        var values = points.Values;
        Span<char> number = stackalloc char[32];
        for (var i = 0; i < keys.Count; i++)
        {
            json.Append(i == 0 ? "[" : ",[").Append(keys[i]).Append(',');
            values[i].TryFormat(number, out var written, "R", CultureInfo.InvariantCulture);
            json.Append(number[..written]).Append(']');
        }

        return json.Append(']').ToString();
    }
}
