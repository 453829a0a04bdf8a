using IntentVision.Data.Metrics;

namespace IntentVision.Data.Tests;

/// <summary>The writer's hints about where series end (<see cref="KnownSeries"/>) and the gaps an append's statistics need.</summary>
public sealed class KnownSeriesTests
{
    private static SeriesPoints Batch(string metric, params long[] timestamps)
    {
        var series = new SeriesPoints(new SeriesKey("org", metric, "{}"));
        foreach (var ts in timestamps)
        {
            series.Add(ts, 1);
        }

        return series;
    }

    [Fact]
    public void AnAppendIsKnownOnlyWhenEverySeriesIsKnownAndStartsAfterItsEnd()
    {
        var known = new KnownSeries();
        known.Stored(new SeriesKey("org", "a", "{}"), 7, 1_000);
        known.Stored(new SeriesKey("org", "b", "{}"), 8, 2_000);
        var ids = new long[2];
        var last = new long?[2];

        Assert.True(known.TryAllAppends([Batch("a", 1_001, 1_002), Batch("b", 3_000)], ids, last));
        Assert.Equal([7, 8], ids);
        Assert.Equal([1_000, 2_000], last);
        Assert.False(known.AllAppends([Batch("a", 1_000)]));
        Assert.False(known.AllAppends([Batch("a", 1_001), Batch("c", 5)]));
    }

    [Fact]
    public void TheSeriesLeastRecentlyStoredToAreForgottenFirst()
    {
        var known = new KnownSeries();
        // Two generations of 32,768 series: "busy" is stored to in both (so the second holds 32,767 others), the first
        // generation's others only once.
        known.Stored(new SeriesKey("org", "busy", "{}"), 1, 10);
        for (var i = 0; i < 32_767; i++)
        {
            known.Stored(new SeriesKey("org", $"first{i}", "{}"), 100 + i, 10);
        }

        for (var i = 0; i < 32_767; i++)
        {
            known.Stored(new SeriesKey("org", $"second{i}", "{}"), 100_000 + i, 10);
            if (i == 1_000)
            {
                known.Stored(new SeriesKey("org", "busy", "{}"), 1, 20);
            }
        }

        // Full again: the first generation's series are still known (the older generation) until one more series comes.
        Assert.True(known.AllAppends([Batch("first0", 11)]));
        known.Stored(new SeriesKey("org", "third", "{}"), 9, 10);

        Assert.False(known.AllAppends([Batch("first0", 11)]));
        Assert.False(known.AllAppends([Batch("first32766", 11)]));
        var ids = new long[3];
        var last = new long?[3];
        Assert.True(known.TryAllAppends([Batch("busy", 21), Batch("second0", 11), Batch("third", 11)], ids, last));
        Assert.Equal([1, 100_000, 9], ids);
        Assert.Equal([20, 10, 10], last);
        // Noted again, a series' newer entry wins over the one its older generation still holds.
        Assert.False(known.AllAppends([Batch("busy", 15)]));
    }

    [Theory]
    [InlineData(new long[] { 5_000 })]
    [InlineData(new long[] { 0, 60_000 })]
    [InlineData(new long[] { 0, 1_000, 61_000, 62_000 })]
    [InlineData(new long[] { 0, 500, 2_500, 2_600, 9_000, 9_001 })]
    [InlineData(new long[] { 0, 30_000, 60_000, 120_000, 121_000, 421_000, 422_000 })]
    public void AppendSpacingIsTheMedianOfTheGapsWithOrWithoutOneMore(long[] timestamps)
    {
        var spacing = AppendSpacing.Of(timestamps);
        var gaps = timestamps.Zip(timestamps.Skip(1), (a, b) => b - a).Order().ToList();
        Assert.Equal(gaps.Count == 0 ? null : Math.Max(1, gaps[gaps.Count / 2] / 1000), spacing.ResolutionSeconds);

        // Whatever the gap from the series' previous end, the median of the gaps with it is what the statement works out
        // from Below and Above (the median position of n + 1 gaps, as the resolution takes it).
        foreach (var extra in new long[] { 1, 499, 500, 1_000, 2_000, 30_000, 60_000, 1_000_000 })
        {
            var all = gaps.Append(extra).Order().ToList();
            var expected = all[all.Count / 2];
            var chosen = spacing.Below is { } below && extra <= below ? below
                : spacing.Above is { } above && extra >= above ? above
                : extra;
            Assert.Equal(expected, chosen);
        }
    }
}
