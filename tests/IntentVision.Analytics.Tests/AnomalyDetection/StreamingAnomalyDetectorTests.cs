using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Tests.AnomalyDetection;

public sealed class StreamingAnomalyDetectorTests
{
    [Fact]
    public void SpikeIsDetectedAsAPointAnomaly()
    {
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => SeriesFactory.DailySine(i) + (0.2 * SeriesFactory.Gaussian(r)) + (i == 400 ? 8 : 0));
        var scores = new StreamingAnomalyDetector().Detect(series);
        var spike = scores[400];
        Assert.True(spike.Severity >= AnomalySeverity.High, $"spike scored {spike}");
        Assert.Equal(AnomalyType.Point, spike.Type);
        Assert.Equal(400, IndexOfMax(scores, 100));
    }

    [Fact]
    public void LevelShiftIsDetectedAsALevelShift()
    {
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => 50 + (0.5 * SeriesFactory.Gaussian(r)) + (i >= 300 ? 6 : 0));
        var scores = new StreamingAnomalyDetector().Detect(series);
        var during = scores.Skip(300).Take(10).ToArray();
        Assert.True(during.Any(s => s.Type == AnomalyType.LevelShift && s.Severity >= AnomalySeverity.Medium), string.Join("\n", during.Select(s => s.ToString())));
        Assert.All(scores.Skip(50).Take(240), s => Assert.True(s.Severity <= AnomalySeverity.Low, $"before the shift: {s}"));
    }

    [Fact]
    public void ConstantSeriesRaisesNothing()
    {
        var series = SeriesFactory.Hourly(1000, (_, _) => 42);
        var scores = new StreamingAnomalyDetector().Detect(series);
        Assert.All(scores, s => Assert.Equal(AnomalySeverity.None, s.Severity));
    }

    [Fact]
    public void WhiteNoiseRaisesNothingAboveLow()
    {
        var series = SeriesFactory.Hourly(5000, (_, r) => 100 + (5 * SeriesFactory.Gaussian(r)), seed: 7);
        var scores = new StreamingAnomalyDetector().Detect(series);
        Assert.All(scores, s => Assert.True(s.Severity <= AnomalySeverity.Low, $"{s}"));
    }

    [Theory]
    [InlineData(AnomalyDetectorKind.ForecastResidualMad)]
    [InlineData(AnomalyDetectorKind.SeasonalMad)]
    [InlineData(AnomalyDetectorKind.SeasonalHybridEsd)]
    public void EachComponentFindsTheSpike(AnomalyDetectorKind kind)
    {
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => SeriesFactory.DailySine(i) + (0.2 * SeriesFactory.Gaussian(r)) + (i == 400 ? 8 : 0));
        var scores = new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { Kind = kind }).Detect(series);
        Assert.Equal(400, IndexOfMax(scores, 100));
    }

    [Fact]
    public void ScoresAreCausal()
    {
        var series = SeriesFactory.Hourly(600, (i, r) => SeriesFactory.DailySine(i) + SeriesFactory.Gaussian(r));
        var full = new StreamingAnomalyDetector().Detect(series);
        var altered = series.ToArray();
        altered[500] = altered[500] with { Value = 1e6 };
        var prefix = new StreamingAnomalyDetector().Detect(altered);
        Assert.Equal(full.Take(500).Select(s => s.Score), prefix.Take(500).Select(s => s.Score));
        Assert.All(full, s => Assert.InRange(s.Score, 0, 1));
    }

    [Fact]
    public void NaNIsRejected()
    {
        var detector = new StreamingAnomalyDetector();
        var error = Assert.Throws<ArgumentException>(() => detector.Add(new TimedValue(SeriesFactory.Start, double.NaN)));
        Assert.Contains("NaN", error.Message);
    }

    private static int IndexOfMax(IReadOnlyList<AnomalyScore> scores, int from)
    {
        var best = from;
        for (var i = from; i < scores.Count; i++)
        {
            if (scores[i].Score > scores[best].Score)
            {
                best = i;
            }
        }

        return best;
    }
}
