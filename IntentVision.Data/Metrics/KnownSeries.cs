namespace IntentVision.Data.Metrics;

/// <summary>
/// Where each series this writer stored to on a server ended, as far as it knows: the series' id and last timestamp.
/// A batch starting after that timestamp is an append, which a group's first attempt writes without asking the server
/// first: its writes travel with the COMMIT (see <see cref="IngestWriter.StoreAsync"/>), so a group of appends to known
/// series is one request. It is only a hint. The append's own guard fails the statement when the series holds anything
/// at or after the batch's first timestamp (another process wrote to it, or it was noted by a group that then rolled
/// back), and the group then runs again with every write awaited, which notes the truth: a stale entry costs a retry,
/// never a wrong point. Kept on the writer (<see cref="Writing.WriteScope.Kept{T}"/>), touched only by its units.
/// </summary>
internal sealed class KnownSeries
{
    /// <summary>
    /// Series noted per generation. The map holds two, at most about 10 MB: a series stored to in either is known, and
    /// once the newer one is full it becomes the older and the older is dropped, so the series least recently stored
    /// to are forgotten first (a forgotten series takes one more request, once) and busy series are never all dropped.
    /// </summary>
    private const int Generation = 32_768;

    private Dictionary<SeriesKey, (long Id, long LastTimestamp)> _recent = [];
    private Dictionary<SeriesKey, (long Id, long LastTimestamp)> _older = [];

    /// <summary>
    /// The ids of <paramref name="series"/> when every one of them is known and its batch starts after its last
    /// timestamp (all appends), with those timestamps; false otherwise (the arrays then hold nothing to use).
    /// </summary>
    public bool TryAllAppends(IReadOnlyList<SeriesPoints> series, long[] ids, long?[] lastTimestamps)
    {
        for (var s = 0; s < series.Count; s++)
        {
            if (!IsAppend(series[s], out var known))
            {
                return false;
            }

            (ids[s], lastTimestamps[s]) = known;
        }

        return true;
    }

    /// <summary>Whether every one of <paramref name="series"/> is known and its batch starts after its last timestamp.</summary>
    public bool AllAppends(IReadOnlyList<SeriesPoints> series) => series.All(one => IsAppend(one, out _));

    /// <summary>Notes that the series' points now end at <paramref name="lastTimestamp"/>.</summary>
    public void Stored(SeriesKey key, long id, long lastTimestamp)
    {
        if (_recent.Count >= Generation && !_recent.ContainsKey(key))
        {
            (_older, _recent) = (_recent, []);
        }

        // A series noted again moves to the newer generation; its entry in the older one is shadowed until that goes.
        _recent[key] = (id, lastTimestamp);
    }

    private bool IsAppend(SeriesPoints series, out (long Id, long LastTimestamp) known) =>
        (_recent.TryGetValue(series.Key, out known) || _older.TryGetValue(series.Key, out known)) && known.LastTimestamp < series.Points.Keys[0];
}
