using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Numerics;

namespace IntentVision.Analytics.Tests.AnomalyDetection;

/// <summary>The incremental statistics behind the detectors agree with recomputing from scratch.</summary>
public sealed class StreamingStatisticsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(60)]
    [InlineData(61)]
    public void SortedWindowMatchesMedianAndMadRecomputedFromScratch(int capacity)
    {
        var random = new Random(3);
        var window = new SortedWindow(capacity);
        var recent = new List<double>();
        for (var i = 0; i < 500; i++)
        {
            // Rounded values so that ties (quantised metrics) are exercised too.
            var value = Math.Round(SeriesFactory.Gaussian(random) * 3);
            window.Add(value);
            recent.Add(value);
            if (recent.Count > capacity)
            {
                recent.RemoveAt(0);
            }

            var median = RobustStatistics.Median(recent.ToArray());
            Assert.Equal(median, window.Median(), 12);
            Assert.Equal(RobustStatistics.MedianAbsoluteDeviation(recent.ToArray(), median), window.MedianAbsoluteDeviation(median), 12);

            // Any centre, not only the median: beyond either end of the window, or between its values.
            foreach (var centre in new[] { median - 7.5, median + 2.25, recent.Min() - 1, recent.Max() + 1 })
            {
                Assert.Equal(RobustStatistics.MedianAbsoluteDeviation(recent.ToArray(), centre), window.MedianAbsoluteDeviation(centre), 12);
            }
        }
    }

    [Fact]
    public void SlidingMaximumMatchesBruteForce()
    {
        var random = new Random(5);
        var maximum = new SlidingMaximum(17);
        var values = new List<double>();
        for (var i = 0; i < 400; i++)
        {
            var value = random.Next(0, 50);
            maximum.Add(value);
            values.Add(value);
            Assert.Equal(values.Skip(Math.Max(0, values.Count - 17)).Max(), maximum.Maximum);
        }
    }

    [Fact]
    public void ValueHistoryCopiesTheLatestValuesAcrossTheWrap()
    {
        var history = new ValueHistory(10);
        for (var i = 0; i < 27; i++)
        {
            history.Add(i);
        }

        var latest = new double[7];
        history.CopyLatest(latest);
        Assert.Equal([20.0, 21, 22, 23, 24, 25, 26], latest);
        Assert.Equal(26, history.Back(1));
        Assert.Equal(17, history.Back(10));
    }
}
