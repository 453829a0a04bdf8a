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

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(12)]
    public void SmallSortedWindowsGiveTheSortsMedianDownToTheSignOfZero(int capacity)
    {
        // The detectors' small medians were sorts of the latest values, newest first; the windows that replaced them must
        // give the same bits, including which zero a median of mixed +0 and -0 is.
        var random = new Random(11);
        var window = new SortedWindow(capacity);
        var recent = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            var value = random.Next(4) switch
            {
                0 => 0.0,
                1 => -0.0,
                _ => random.Next(-3, 4),
            };
            window.Add(value);
            recent.Insert(0, value);
            if (recent.Count > capacity)
            {
                recent.RemoveAt(recent.Count - 1);
            }

            var sorted = recent.ToArray();
            Assert.Equal(BitConverter.DoubleToInt64Bits(RobustStatistics.MedianInPlace(sorted)), BitConverter.DoubleToInt64Bits(window.Median()));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(60)]
    public void SortedWindowsOnRisingAndFallingStretchesGiveTheSortsMedianAndMad(int capacity)
    {
        // Ramps move the sorted copy's start (the values outside the leaving and entering places move instead of those
        // between them) until it reaches an end of its buffer and is moved back; plateaus of mixed +0 and -0 and jumps
        // between them must still leave the copy exactly as sorting the values newest first does, and a window restored
        // from a snapshot midway must carry on as the original.
        var random = new Random(capacity);
        var window = new SortedWindow(capacity);
        SortedWindow? restored = null;
        var recent = new List<double>();
        for (var i = 0; i < 4000; i++)
        {
            var value = (i / 300 % 4) switch
            {
                0 => i % 300 * 0.5,
                1 => -(i % 300),
                2 => random.Next(3) == 0 ? -0.0 : 0.0,
                _ => random.Next(-20, 20) + (i % 300 * 2.0),
            };
            window.Add(value);
            restored?.Add(value);
            recent.Insert(0, value);
            if (recent.Count > capacity)
            {
                recent.RemoveAt(recent.Count - 1);
            }

            // A stable sort of the values newest first: which zero lies where is what the window promises.
            var sorted = recent.OrderBy(v => v).ToArray();
            var half = sorted.Length / 2;
            var median = (sorted.Length & 1) == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
            Assert.Equal(BitConverter.DoubleToInt64Bits(median), BitConverter.DoubleToInt64Bits(window.Median()));
            Assert.Equal(RobustStatistics.MedianAbsoluteDeviation(recent.ToArray(), median), window.MedianAbsoluteDeviation(median));
            if (restored is not null)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(window.Median()), BitConverter.DoubleToInt64Bits(restored.Median()));
                Assert.Equal(window.MedianAbsoluteDeviation(median + 1), restored.MedianAbsoluteDeviation(median + 1));
            }

            if (i == 1234)
            {
                using var stream = new MemoryStream();
                using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    window.Save(writer);
                }

                stream.Position = 0;
                restored = new SortedWindow(capacity);
                restored.Load(new BinaryReader(stream));
            }
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(5000)]
    public void MedianOfGivesTheInPlaceMedianAndLeavesTheValues(int length)
    {
        var random = new Random(length);
        var scratch = new double[length];
        foreach (var kind in new[] { "gaussian", "quantised", "signed zeros", "constant", "outliers", "trend" })
        {
            var values = new double[length];
            for (var i = 0; i < length; i++)
            {
                values[i] = kind switch
                {
                    "gaussian" => SeriesFactory.Gaussian(random),
                    "quantised" => Math.Round(SeriesFactory.Gaussian(random) * 2),
                    "signed zeros" => random.Next(3) switch { 0 => 0.0, 1 => -0.0, _ => random.Next(-2, 3) },
                    "constant" => 7,
                    "outliers" => random.Next(10) == 0 ? 1e300 * (random.Next(2) * 2 - 1) : SeriesFactory.Gaussian(random),
                    _ => i + (0.1 * SeriesFactory.Gaussian(random)),
                };
            }

            var before = values.ToArray();
            var expected = RobustStatistics.MedianInPlace(values.ToArray());
            var median = RobustStatistics.MedianOf(values, scratch);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(median), $"{kind}: {median} for {expected}");
            Assert.Equal(before, values);
        }
    }

    [Fact]
    public void LeftSideIndexFindsWhatADictionaryWould()
    {
        var random = new Random(13);
        var index = new LeftSideIndex();
        var reference = new Dictionary<ulong, int>();
        for (var id = 0; id < 5000; id++)
        {
            // Zero and keys sharing their top bits (the slot) included.
            var hash = id switch
            {
                0 => 0UL,
                < 100 => (ulong)id,
                _ => (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63),
            };
            if (reference.TryAdd(hash, id))
            {
                index.Add(hash, id);
            }
            else
            {
                Assert.Throws<ArgumentException>(() => index.Add(hash, id));
            }
        }

        Assert.Equal(reference.Count, index.Count);
        foreach (var (hash, id) in reference)
        {
            Assert.True(index.TryGetValue(hash, out var found));
            Assert.Equal(id, found);
        }

        Assert.False(index.TryGetValue(0xDEADBEEF_0BADF00DUL, out _));
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
