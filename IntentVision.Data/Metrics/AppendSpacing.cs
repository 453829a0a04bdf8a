using System.Buffers;

namespace IntentVision.Data.Metrics;

/// <summary>
/// What an append's statistics need of its batch's timestamps (<see cref="IngestWriter"/>'s <c>AppendStatistics</c>):
/// the gaps either side of the median position once the gap from the series' previous last timestamp joins the batch's
/// (<paramref name="Below"/>, <paramref name="Above"/>), and the batch's own resolution, its median gap in whole seconds
/// (<paramref name="ResolutionSeconds"/>, null with fewer than two timestamps).
/// </summary>
internal readonly record struct AppendSpacing(long? Below, long? Above, long? ResolutionSeconds)
{
    /// <summary>
    /// From a batch's timestamps, distinct and increasing (a <see cref="SeriesPoints"/>' keys): their n gaps are sorted
    /// once. With one more gap the median of n + 1 is the (n + 1) / 2-th, so it is <c>Below</c> when the new gap is at
    /// most that, <c>Above</c> when at least that, else the new gap itself; the batch alone has the median gap n / 2.
    /// </summary>
    public static AppendSpacing Of(IList<long> timestamps)
    {
        var n = timestamps.Count - 1;
        if (n < 1)
        {
            return default;
        }

        var rented = ArrayPool<long>.Shared.Rent(n);
        try
        {
            var gaps = rented.AsSpan(0, n);
            for (var i = 0; i < n; i++)
            {
                gaps[i] = timestamps[i + 1] - timestamps[i];
            }

            gaps.Sort();
            var k = (n + 1) / 2;
            return new AppendSpacing(gaps[k - 1], k < n ? gaps[k] : null, Math.Max(1, gaps[n / 2] / 1000));
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }
}
