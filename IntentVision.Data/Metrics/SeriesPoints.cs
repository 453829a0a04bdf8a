using System.Buffers;
using System.Globalization;

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

    private AppendSpacing? _spacing;

    /// <summary>
    /// The gaps an append's statistics need (<see cref="AppendSpacing"/>). Built once, on the caller's thread for a server
    /// as <see cref="PointsJson"/> is, so the one writer does not sort them.
    /// </summary>
    internal AppendSpacing Spacing => _spacing ??= AppendSpacing.Of(Points.Keys);

    /// <summary>Adds a point; within one batch the later point for a timestamp wins, as if the points had arrived one by one.</summary>
    public void Add(long timestamp, double value)
    {
        _pointsJson = null;
        _spacing = null;
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

    /// <summary>Formats into a pooled buffer, so the one string is the only allocation (a StringBuilder made it twice).</summary>
    private static string Encode(SortedList<long, double> points)
    {
        // Per point at most '[' + 20 digits of a long + ',' + 24 characters of a round-trip double + ']' + ','.
        var buffer = ArrayPool<char>.Shared.Rent(2 + (points.Count * 48));
        try
        {
            var keys = points.Keys;
            var values = points.Values;
            var length = 0;
            buffer[length++] = '[';
            for (var i = 0; i < keys.Count; i++)
            {
                if (i > 0)
                {
                    buffer[length++] = ',';
                }

                buffer[length++] = '[';
                keys[i].TryFormat(buffer.AsSpan(length), out var written, default, CultureInfo.InvariantCulture);
                length += written;
                buffer[length++] = ',';
                values[i].TryFormat(buffer.AsSpan(length), out written, "R", CultureInfo.InvariantCulture);
                length += written;
                buffer[length++] = ']';
            }

            buffer[length++] = ']';
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
