using IntentVision.Analytics.AnomalyDetection;

namespace IntentVision.Analytics.Tests.AnomalyDetection;

public sealed class AnomalyLikelihoodTests
{
    [Fact]
    public void WhiteNoiseRawScoresStayLow()
    {
        var random = new Random(11);
        var likelihood = new AnomalyLikelihood(10, 2000, 200);
        var worst = 0.0;
        for (var i = 0; i < 5000; i++)
        {
            var score = AnomalyLikelihood.ToLogScore(likelihood.Update(random.NextDouble() * 0.2));
            worst = Math.Max(worst, score);
        }

        Assert.InRange(worst, 0, 0.4);
    }

    [Fact]
    public void ARunOfHighRawScoresAfterNoiseScoresHigh()
    {
        var random = new Random(12);
        var likelihood = new AnomalyLikelihood(10, 2000, 200);
        for (var i = 0; i < 1000; i++)
        {
            likelihood.Update(random.NextDouble() * 0.2);
        }

        var peak = 0.0;
        for (var i = 0; i < 5; i++)
        {
            peak = Math.Max(peak, AnomalyLikelihood.ToLogScore(likelihood.Update(1)));
        }

        Assert.True(peak >= 0.75, $"peak {peak}");
    }

    [Fact]
    public void NothingIsReportedDuringTheLearningPeriod()
    {
        var likelihood = new AnomalyLikelihood(10, 2000, 100);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(1, likelihood.Update(i % 7 == 0 ? 1 : 0));
        }
    }

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(1e-5, 0.5)]
    [InlineData(1e-10, 0.8)]
    public void LogScoreMapsTailProbabilities(double tail, double expected) =>
        Assert.Equal(expected, AnomalyLikelihood.ToLogScore(tail), 6);

    [Fact]
    public void LogScoreIsMonotoneAndBounded()
    {
        var previous = -1.0;
        for (var exponent = 0; exponent <= 300; exponent += 5)
        {
            var score = AnomalyLikelihood.ToLogScore(Math.Pow(10, -exponent));
            Assert.InRange(score, 0, 1);
            Assert.True(score > previous);
            previous = score;
        }
    }

    [Fact]
    public void DetectorWithLikelihoodScoresASpikeAboveTheNoise()
    {
        var series = SeriesFactory.Hourly(24 * 30, (i, r) => SeriesFactory.DailySine(i) + (0.2 * SeriesFactory.Gaussian(r)) + (i == 600 ? 8 : 0));
        var scores = new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { Likelihood = true }).Detect(series);
        var spike = scores.Skip(600).Take(5).Max(s => s.Score);
        var before = scores.Skip(300).Take(290).Max(s => s.Score);
        // One spike among ten averaged raw scores is diluted (as in Numenta's likelihood), but it still stands out.
        Assert.True(spike > before, $"spike {spike}, noise before it {before}");
        Assert.True(before < 0.25, $"noise before it {before}");
        Assert.All(scores, s => Assert.InRange(s.Score, 0, 1));
    }

    [Fact]
    public void DetectorWithLikelihoodKeepsWhiteNoiseLow()
    {
        var series = SeriesFactory.Hourly(3000, (_, r) => 100 + (5 * SeriesFactory.Gaussian(r)), seed: 9);
        var scores = new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { Likelihood = true }).Detect(series);
        Assert.All(scores, s => Assert.True(s.Severity <= AnomalySeverity.Low, $"{s}"));
    }

    [Fact]
    public void DetectionSuppressionHalvesTheScoresThatFollowADetection()
    {
        var series = SeriesFactory.Hourly(24 * 20, (i, r) => SeriesFactory.DailySine(i) + (0.2 * SeriesFactory.Gaussian(r)) + (i is 400 or 405 ? 8 : 0));
        var plain = new StreamingAnomalyDetector().Detect(series);
        var suppressed = new StreamingAnomalyDetector(AnomalyDetectorOptions.Default with { DetectionSuppression = 10 }).Detect(series);
        Assert.Equal(plain[400].Score, suppressed[400].Score);
        Assert.Equal(plain[405].Score / 2, suppressed[405].Score, 12);
    }
}
