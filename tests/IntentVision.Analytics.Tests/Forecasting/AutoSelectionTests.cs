using IntentVision.Analytics.Forecasting;
using IntentVision.Analytics.Seasonality;

namespace IntentVision.Analytics.Tests.Forecasting;

/// <summary>The parts of auto: where it backtests, which candidates it keeps, and the cycle of a series' own.</summary>
public sealed class AutoSelectionTests
{
    [Fact]
    public void OriginsStepBackByHalfTheValidationHorizon()
    {
        var plan = RollingOrigins.Plan(historyLength: 1008, horizon: 48, minimumFit: 48);
        Assert.Equal(48, plan.Length);
        Assert.Equal([960, 936, 912, 888], plan.Starts);
    }

    [Fact]
    public void AShortHistoryGetsAShorterValidationAndNoFitBelowTheMinimum()
    {
        // An M4 Yearly series can have 13 points: six to validate on, seven to fit.
        var plan = RollingOrigins.Plan(historyLength: 13, horizon: 6, minimumFit: 6);
        Assert.Equal(6, plan.Length);
        Assert.Equal([7], plan.Starts);

        var tiny = RollingOrigins.Plan(historyLength: 9, horizon: 6, minimumFit: 6);
        Assert.Equal(3, tiny.Length);
        Assert.All(tiny.Starts, s => Assert.True(s >= 6));
        Assert.Equal(0, RollingOrigins.Plan(historyLength: 6, horizon: 6, minimumFit: 6).Count);
    }

    private static ValidatedCandidate Candidate(string name, double error) =>
        new(new SeasonalNaiveForecaster(2, name), [], error);

    [Fact]
    public void AClearWinnerIsUsedAlone()
    {
        var chosen = ForecastCombination.Choose([Candidate("a", 2.0), Candidate("b", 1.0), Candidate("c", 1.5)], origins: 4);
        Assert.Equal(["b"], chosen.Select(c => c.Forecaster.Name));
    }

    [Fact]
    public void NearTiesAreAveragedUpToSix()
    {
        var chosen = ForecastCombination.Choose(
            [Candidate("a", 1.25), Candidate("b", 1.0), Candidate("c", 1.1), Candidate("d", 1.3), Candidate("e", 1.2), Candidate("f", 1.31), Candidate("g", 1.05), Candidate("h", 1.02)],
            origins: 3);
        Assert.Equal(["b", "h", "g", "c", "e", "a"], chosen.Select(c => c.Forecaster.Name));
        Assert.Equal("mean(b, h, g, c, e, a)", ForecastCombination.Describe(chosen));
    }

    [Fact]
    public void OneOriginAveragesTheBestSixWhateverTheirErrors()
    {
        var chosen = ForecastCombination.Choose(
            [Candidate("a", 9), Candidate("b", 1), Candidate("c", 5), Candidate("d", 3), Candidate("e", 7), Candidate("f", 8), Candidate("g", 11)],
            origins: 1);
        Assert.Equal(["b", "d", "c", "e", "f", "a"], chosen.Select(c => c.Forecaster.Name));
    }

    [Fact]
    public void ACycleOfTheSeriesOwnIsFound()
    {
        var values = Enumerable.Range(0, 600).Select(i => 10 + Math.Sin(2 * Math.PI * i / 23.0) + (0.05 * Math.Cos(i * 1.7))).ToArray();
        Assert.Equal(23, DominantCycle.Find(values, [24]));
    }

    [Fact]
    public void ACalendarCycleOrARandomWalkIsNotACycleOfItsOwn()
    {
        var daily = Enumerable.Range(0, 600).Select(i => 10 + Math.Sin(2 * Math.PI * i / 24.0)).ToArray();
        Assert.Null(DominantCycle.Find(daily, [24]));

        var random = new Random(5);
        var level = 0.0;
        var walk = Enumerable.Range(0, 600).Select(_ => level += SeriesFactory.Gaussian(random)).ToArray();
        Assert.Null(DominantCycle.Find(walk, []));
    }

    [Fact]
    public void FewBacktestErrorsGiveWiderIntervalsThanMany()
    {
        var one = PredictionIntervals.FromBacktests([[1.0, -1, 1, -1]], 4);
        var many = PredictionIntervals.FromBacktests(Enumerable.Repeat(new[] { 1.0, -1, 1, -1 }, 10).ToList(), 4);
        Assert.True(one.HalfWidth95[0] > many.HalfWidth95[0]);
        Assert.InRange(many.HalfWidth95[0], 1.96, 2.1);
    }
}
