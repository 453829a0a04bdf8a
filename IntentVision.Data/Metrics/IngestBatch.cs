namespace IntentVision.Data.Metrics;

/// <summary>Validated points of one ingest call, grouped by series: what the <see cref="IngestWriter"/> stores in one unit of work.</summary>
public sealed record IngestBatch(string OrganizationId, string Source, IReadOnlyList<SeriesPoints> Series, int PointCount)
{
    /// <summary>
    /// Groups points by <see cref="SeriesKey"/>. Grouping is CPU work, done on the caller's thread (in parallel with
    /// other callers), never in the writer. Canonical JSON is built once per run of equal dimensions: a batch mostly
    /// repeats one dimension set, or a few, and comparing a small dictionary is far cheaper than serialising it.
    /// <paramref name="forServer"/>: the database is a server, so each series' points are encoded here too, as its
    /// statement carries them (<see cref="SeriesPoints.PointsJson"/>), with the gaps its statistics need.
    /// </summary>
    public static IngestBatch Create(string organizationId, IReadOnlyList<MetricPoint> points, string source = "api", bool forServer = false)
    {
        ArgumentNullException.ThrowIfNull(points);
        var groups = new Dictionary<SeriesKey, SeriesPoints>();
        var list = new List<SeriesPoints>();
        IReadOnlyDictionary<string, string>? lastDimensions = null;
        var lastCanonical = CanonicalDimensions.Empty;
        SeriesPoints? last = null;
        foreach (var point in points)
        {
            var sameDimensions = last is not null && CanonicalDimensions.SameEntries(point.Dimensions, lastDimensions);
            if (!sameDimensions)
            {
                lastCanonical = CanonicalDimensions.Serialize(point.Dimensions);
                lastDimensions = point.Dimensions;
            }

            if (!sameDimensions || !string.Equals(last!.Key.MetricKey, point.MetricKey, StringComparison.Ordinal))
            {
                var key = new SeriesKey(organizationId, point.MetricKey, lastCanonical);
                if (!groups.TryGetValue(key, out last))
                {
                    groups[key] = last = new SeriesPoints(key);
                    list.Add(last);
                }
            }

            last!.Add(point.Timestamp.ToUnixTimeMilliseconds(), point.Value);
        }

        if (forServer)
        {
            foreach (var series in list)
            {
                _ = series.PointsJson;
                _ = series.Spacing;
            }
        }

        return new IngestBatch(organizationId, source, list, points.Count);
    }
}
