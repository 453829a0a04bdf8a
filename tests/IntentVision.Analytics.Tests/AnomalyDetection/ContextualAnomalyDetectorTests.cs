using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Tests.AnomalyDetection;

public sealed class ContextualAnomalyDetectorTests
{
    [Fact]
    public void ALearnedRepeatingPatternStopsBeingSurprising()
    {
        var detector = new ContextualAnomalyDetector(bits: 3);
        int[] pattern = [0, 2, 5, 7, 6, 3, 1];
        var late = new List<double>();
        for (var i = 0; i < 700; i++)
        {
            var raw = detector.Step(pattern[i % pattern.Length]);
            Assert.InRange(raw, 0, 1);
            if (i >= 600)
            {
                late.Add(raw);
            }
        }

        // Nothing is new any more and almost every prediction comes true (a few short contexts stay ambiguous).
        Assert.All(late, r => Assert.InRange(r, 0, 0.2));
    }

    [Fact]
    public void ABreakInTheLearnedPatternIsSurprising()
    {
        var detector = new ContextualAnomalyDetector(bits: 3);
        int[] pattern = [0, 2, 5, 7, 6, 3, 1];
        for (var i = 0; i < 700; i++)
        {
            detector.Step(pattern[i % pattern.Length]);
        }

        // Still values the series has taken before, but in an order it never showed: bin 5 where 6 was due.
        detector.Step(0);
        detector.Step(2);
        detector.Step(5);
        detector.Step(7);
        var broken = detector.Step(5);
        Assert.True(broken >= 0.5, $"raw score {broken}");
    }

    [Fact]
    public void ContextsStayWithinTheirCapacity()
    {
        var detector = new ContextualAnomalyDetector(bits: 4, maxContexts: 500);
        var random = new Random(4);
        for (var i = 0; i < 5000; i++)
        {
            Assert.InRange(detector.Step(random.Next(16)), 0, 1);
        }

        Assert.True(detector.ContextCount <= 500, $"{detector.ContextCount} contexts");
    }

    [Fact]
    public void AValueBeyondTheRangeSeenSoFarScoresOne()
    {
        // A square wave between 0 and 10 with small noise: 10.2 is within the 5% margin, 13 is well beyond it.
        var series = SeriesFactory.Hourly(600, (i, r) => (i / 12 % 2 == 0 ? 0 : 10) + (0.05 * SeriesFactory.Gaussian(r)) + (i == 500 ? 3 : 0));
        var scores = new StreamingAnomalyDetector().Detect(series);
        Assert.Equal(1, scores[500].Score);
        Assert.Equal(AnomalyEvidence.NewExtreme, scores[500].Evidence);
        Assert.All(scores.Skip(200).Take(290), s => Assert.True(s.Score < 1, $"{s}"));
    }

    [Fact]
    public void APatternChangeWithinTheUsualRangeIsDetected()
    {
        // A daily cycle that goes flat at its mean for a day: no value leaves the usual range, only the pattern changes.
        var series = SeriesFactory.Hourly(24 * 40, (i, r) => (i is >= 700 and < 724 ? 10 : SeriesFactory.DailySine(i)) + (0.05 * SeriesFactory.Gaussian(r)));
        var scores = new StreamingAnomalyDetector().Detect(series);
        var during = scores.Skip(700).Take(24).Max(s => s.Score);
        var before = scores.Skip(300).Take(390).Max(s => s.Score);
        Assert.True(during > before, $"during {during}, before {before}");
        Assert.True(during >= 0.5, $"during {during}");
    }

    [Fact]
    public void TheEnsembleStillMeasuresAnUnsurprisingShiftEvenWhenTheContextIsKnown()
    {
        // Score never falls below DeviationWeight times the ensemble's own score.
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => SeriesFactory.DailySine(i) + (0.2 * SeriesFactory.Gaussian(r)) + (i == 400 ? 8 : 0));
        var contextual = new StreamingAnomalyDetector().Detect(series);
        var ensemble = new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { Kind = AnomalyDetectorKind.Ensemble }).Detect(series);
        for (var i = 0; i < series.Length; i++)
        {
            Assert.True(contextual[i].Score >= (AnomalyDetectorOptions.Default.DeviationWeight * ensemble[i].Score) - 1e-12, $"{i}: {contextual[i]} vs {ensemble[i]}");
        }
    }

    [Fact]
    public void ASpikeIsOneAnomalyNotABurst()
    {
        // Minute data with a 60-minute cycle and a sawtooth of 0-2, as the API's ingestion tests send it.
        var series = Enumerable.Range(0, 800)
            .Select(i => new TimedValue(SeriesFactory.Start.AddMinutes(i), i == 700 ? 900 : 100 + (10 * Math.Sin(2 * Math.PI * i / 60.0)) + (i % 3)))
            .ToArray();
        var scores = new StreamingAnomalyDetector().Detect(series);
        Assert.True(scores[700].Score >= 0.75, $"{scores[700]}");
        var stored = new SeriesAnomalyMonitor().Observe(series).Anomalies;
        var near = Assert.Single(stored, a => a.Timestamp >= series[690].Timestamp && a.Timestamp <= series[710].Timestamp);
        Assert.Equal(series[700].Timestamp, near.Timestamp);
    }

    [Fact]
    public void RememberedStepsScoreExactlyAsStepsTakenInFull()
    {
        // A repeating pattern (whose steps the detector remembers once its memory stands still), broken now and then (which
        // teaches it new contexts and voids what it remembered). Beside it runs a copy restored from its snapshot every
        // 97 steps: the copy remembers nothing, so it takes its first steps in full, and must score every step the same,
        // bit for bit, and save the same state (saved in the middle of remembered steps).
        var original = new ContextualAnomalyDetector(bits: 3);
        var copy = new ContextualAnomalyDetector(bits: 3);
        int[] pattern = [0, 2, 5, 7, 6, 3, 1, 1, 1];
        var random = new Random(5);
        for (var i = 0; i < 4000; i++)
        {
            if (i % 97 == 0)
            {
                var saved = Saved(original);
                copy = new ContextualAnomalyDetector(bits: 3);
                copy.Load(new BinaryReader(new MemoryStream(saved)));
                Assert.Equal(saved, Saved(copy));
            }

            var bin = i % 600 >= 590 ? random.Next(8) : pattern[i % pattern.Length];
            Assert.Equal(BitConverter.DoubleToInt64Bits(original.Step(bin)), BitConverter.DoubleToInt64Bits(copy.Step(bin)));
        }
    }

    private static byte[] Saved(ContextualAnomalyDetector detector)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            detector.Save(writer);
        }

        return stream.ToArray();
    }

    [Fact]
    public void AConstantSeriesScoresZero()
    {
        var series = SeriesFactory.Hourly(1000, (_, _) => 42);
        Assert.All(new StreamingAnomalyDetector().Detect(series), s => Assert.Equal(0, s.Score));
    }

    [Theory]
    [InlineData(0, 100, 0.05)]
    [InlineData(13, 100, 0.05)]
    [InlineData(4, -1, 0.05)]
    [InlineData(4, 100, -0.1)]
    public void InvalidContextualOptionsAreRejected(int bits, int rest, double margin) =>
        Assert.Throws<ArgumentException>(() => new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { ContextBits = bits, ContextRestPeriod = rest, SpatialMargin = margin }));
}
