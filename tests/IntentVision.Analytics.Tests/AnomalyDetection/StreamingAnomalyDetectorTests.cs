using IntentVision.Analytics.AnomalyDetection;
using IntentVision.Analytics.Series;

namespace IntentVision.Analytics.Tests.AnomalyDetection;

public sealed class StreamingAnomalyDetectorTests
{
    [Fact]
    public void SpikeScoresHighestAndHigh()
    {
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => SeriesFactory.DailySine(i) + (0.2 * SeriesFactory.Gaussian(r)) + (i == 400 ? 8 : 0));
        var scores = new StreamingAnomalyDetector().Detect(series);
        Assert.True(scores[400].Score >= 0.75, $"spike scored {scores[400]}");
        Assert.Equal(400, IndexOfMax(scores, 100));
    }

    [Fact]
    public void LevelShiftScoresAsANewExtreme()
    {
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => 50 + (0.5 * SeriesFactory.Gaussian(r)) + (i >= 300 ? 6 : 0));
        var scores = new StreamingAnomalyDetector().Detect(series);
        Assert.Equal(1, scores[300].Score);
        Assert.Equal(AnomalyEvidence.NewExtreme, scores[300].Evidence);
        Assert.True((series[300].Value - scores[300].Expected) / scores[300].Scale > 6, $"{scores[300]}");
    }

    [Fact]
    public void ConstantSeriesScoresZero()
    {
        var series = SeriesFactory.Hourly(1000, (_, _) => 42);
        Assert.All(new StreamingAnomalyDetector().Detect(series), s => Assert.Equal(0, s.Score));
    }

    [Fact]
    public void WhiteNoiseIsNeverFarFromExpected()
    {
        // The contexts find white noise surprising now and then, and its range grows with its tails, but no point lies
        // 6 robust SDs out: whatever the score, severity stays at medium or below.
        var series = SeriesFactory.Hourly(5000, (_, r) => 100 + (5 * SeriesFactory.Gaussian(r)), seed: 7);
        var scores = new StreamingAnomalyDetector().Detect(series);
        Assert.All(scores.Skip(MonitorSettings.Default.WarmUpPoints).Select((s, i) => (s, v: series[i + MonitorSettings.Default.WarmUpPoints].Value)), p =>
            Assert.True(SeriesAnomalyMonitor.SeverityOf(p.s.Score, (p.v - p.s.Expected) / p.s.Scale) <= AnomalySeverity.Medium, $"{p}"));
    }

    [Theory]
    [InlineData(AnomalyDetectorKind.ForecastResidualMad)]
    [InlineData(AnomalyDetectorKind.SeasonalMad)]
    [InlineData(AnomalyDetectorKind.SeasonalHybridEsd)]
    [InlineData(AnomalyDetectorKind.Ensemble)]
    public void EachComponentFindsTheSpike(AnomalyDetectorKind kind)
    {
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => SeriesFactory.DailySine(i) + (0.2 * SeriesFactory.Gaussian(r)) + (i == 400 ? 8 : 0));
        var scores = new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { Kind = kind }).Detect(series);
        Assert.Equal(400, IndexOfMax(scores, 100));
        Assert.Equal(AnomalyEvidence.Deviation, scores[400].Evidence);
    }

    [Fact]
    public void ScoresAreCausal()
    {
        var series = SeriesFactory.Hourly(600, (i, r) => SeriesFactory.DailySine(i) + SeriesFactory.Gaussian(r));
        var full = new StreamingAnomalyDetector().Detect(series);
        var altered = series.ToArray();
        altered[500] = altered[500] with { Value = 1e6 };
        var prefix = new StreamingAnomalyDetector().Detect(altered);
        Assert.Equal(full.Take(500), prefix.Take(500));
        Assert.All(full, s => Assert.InRange(s.Score, 0, 1));
    }

    [Fact]
    public void TheExpectedValueFollowsTheDailyCycle()
    {
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => SeriesFactory.DailySine(i) + (0.1 * SeriesFactory.Gaussian(r)));
        var detector = new StreamingAnomalyDetector();
        var scores = detector.Detect(series);
        Assert.Equal(TimeSpan.FromDays(1), detector.SeasonalPeriod);
        Assert.All(scores.Skip(24 * 10), s => Assert.True(s.Scale > 0, $"{s}"));
        for (var i = 24 * 10; i < series.Length; i++)
        {
            Assert.InRange(series[i].Value - scores[i].Expected, -1, 1);
        }
    }

    [Fact]
    public void NaNIsRejected()
    {
        var detector = new StreamingAnomalyDetector();
        var error = Assert.Throws<ArgumentException>(() => detector.Add(new TimedValue(SeriesFactory.Start, double.NaN)));
        Assert.Contains("NaN", error.Message);
    }

    private static int IndexOfMax(IReadOnlyList<PointAssessment> scores, int from)
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
