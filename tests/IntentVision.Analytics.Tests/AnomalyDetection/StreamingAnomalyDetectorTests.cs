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

    [Theory]
    [InlineData(ContextBagging.ShiftedEdges, 2)]
    [InlineData(ContextBagging.ShiftedEdges, 3)]
    [InlineData(ContextBagging.NeighbouringBits, 3)]
    public void ABaggedContextualScoreStillFindsTheSpikeAndLearnsEveryGrid(ContextBagging bagging, int size)
    {
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => SeriesFactory.DailySine(i) + (0.2 * SeriesFactory.Gaussian(r)) + (i == 400 ? 8 : 0));
        var single = new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { ContextBagging = ContextBagging.None });
        single.Detect(series);
        var bagged = new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { ContextBagging = bagging, ContextBagSize = size });
        var scores = bagged.Detect(series);
        Assert.Equal(400, IndexOfMax(scores, 100));
        Assert.True(scores[400].Score >= 0.75, $"spike scored {scores[400]}");
        Assert.All(scores, s => Assert.InRange(s.Score, 0, 1));

        // Each grid keeps a memory of its own: more contexts than one grid learns, none shared.
        Assert.True(bagged.ContextCount > single.ContextCount, $"{bagged.ContextCount} against {single.ContextCount}");
    }

    [Fact]
    public void ABaggedScoreTakesLevelsBetweenOneGridsLevels()
    {
        // One grid's raw score is a ratio of small counts; the mean over two grids also takes the values between.
        var series = SeriesFactory.Hourly(3000, (i, r) => 100 + (5 * SeriesFactory.Gaussian(r)), seed: 3);
        int Levels(AnomalyDetectorOptions options) =>
            new StreamingAnomalyDetector(options).Detect(series).Where(s => s.Evidence == AnomalyEvidence.Pattern).Select(s => Math.Round(s.Score, 6)).Distinct().Count();
        var single = Levels(AnomalyDetectorOptions.Default with { DeviationWeight = 0, ContextBagging = ContextBagging.None });
        var bagged = Levels(AnomalyDetectorOptions.Default with { DeviationWeight = 0, ContextBagging = ContextBagging.ShiftedEdges, ContextBagSize = 2 });
        Assert.True(bagged > single, $"{bagged} score levels against {single}");
    }

    [Fact]
    public void TheTieBreakRaisesScoresByTheirDeviationAndNeverPastOne()
    {
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => SeriesFactory.DailySine(i) + (0.5 * SeriesFactory.Gaussian(r)) + (i is 300 or 400 ? 4 : 0));
        var plain = new StreamingAnomalyDetector().Detect(series);
        var deviationOnly = new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { Kind = AnomalyDetectorKind.Ensemble }).Detect(series);
        const double w = 0.2;
        var tied = new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { DeviationTieBreak = w }).Detect(series);
        for (var i = 0; i < series.Length; i++)
        {
            // s + w (1 - s) d, with d the ensemble's own score of the point.
            Assert.Equal(plain[i].Score + (w * (1 - plain[i].Score) * deviationOnly[i].Score), tied[i].Score, 12);
            Assert.InRange(tied[i].Score, 0, 1);
        }

        Assert.True(tied[400].Score > plain[400].Score || plain[400].Score == 1, $"{tied[400]} against {plain[400]}");
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
