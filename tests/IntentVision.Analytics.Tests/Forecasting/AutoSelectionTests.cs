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

    [Fact]
    public void AShortHorizonIsBacktestedFromMoreOrigins()
    {
        // A quarterly horizon of 8 gives 8 errors an origin: ten origins hold 80 where four would hold 32.
        var plan = RollingOrigins.Plan(historyLength: 200, horizon: 8, minimumFit: 8);
        Assert.Equal(8, plan.Length);
        Assert.Equal(RollingOrigins.MaxCount, plan.Count);
        Assert.Equal([192, 188, 184, 180, 176, 172, 168, 164, 160, 156], plan.Starts);

        // A monthly horizon of 18: nine origins hold the 150 errors.
        Assert.Equal(9, RollingOrigins.Plan(historyLength: 400, horizon: 18, minimumFit: 24).Count);
    }

    [Fact]
    public void ValidationMeasuresAreM4sAtEachOrigin()
    {
        // The last value repeated, on a line rising by 1: from every origin the error at step h is h.
        var y = Enumerable.Range(1, 20).Select(i => (double)i).ToArray();
        var plan = RollingOrigins.Plan(historyLength: 20, horizon: 2, minimumFit: 6, minCount: 2);
        var validated = ValidatedCandidate.Validate(new NaiveForecaster(), plan, y, 1, ForecastDomain.NonNegative);

        Assert.Equal(plan.Count, validated.Errors.Count);
        Assert.All(validated.Errors, e => Assert.Equal([1.0, 2.0], e));

        // The one-step naive error of a line rising by 1 is 1, so MASE is the mean error, 1.5, from every origin.
        Assert.Equal(1.5, validated.Mase, 12);
        var expectedSmape = plan.Starts.Average(s => ForecastAccuracy.SymmetricMape(y.AsSpan(s, 2), [s, s]));
        Assert.Equal(expectedSmape, validated.SymmetricMape, 12);
    }

    private static ValidatedCandidate Candidate(string name, double smape, double mase) =>
        new(new SeasonalNaiveForecaster(2, name), [], smape, mase);

    [Fact]
    public void CandidatesAreScoredAgainstTheBenchmarkAndNearTiesWeightedByTheInverseSquareOfTheScore()
    {
        var benchmark = Candidate("naive2", 10, 2);

        // Validation OWA: a 0.5 (half the benchmark's sMAPE and MASE), b 0.6, the benchmark 1.0, c 1.0 (1.5 and 0.5);
        // only a and b are within 40% of the best.
        var members = ForecastCombination.Choose([benchmark, Candidate("c", 15, 1), Candidate("b", 6, 1.2), Candidate("a", 5, 1)], benchmark);

        Assert.Equal(["a", "b"], members.Select(m => m.Candidate.Forecaster.Name));
        Assert.Equal([0.5, 0.6], members.Select(m => Math.Round(m.Score, 12)));
        Assert.Equal((1 / 0.25) / ((1 / 0.25) + (1 / 0.36)), members[0].Weight, 12);
        Assert.Equal(1.0, members.Sum(m => m.Weight), 12);
        Assert.Equal("weighted(a, b)", ForecastCombination.Describe(members));
    }

    [Fact]
    public void AClearWinnerIsUsedAlone()
    {
        var benchmark = Candidate("naive2", 10, 2);
        var members = ForecastCombination.Choose([benchmark, Candidate("a", 5, 1), Candidate("b", 8, 1.5)], benchmark);

        Assert.Equal(["a"], members.Select(m => m.Candidate.Forecaster.Name));
        Assert.Equal(1.0, members[0].Weight);
        Assert.Equal("a", ForecastCombination.Describe(members));
    }

    [Fact]
    public void AtMostSixNearTiesAreCombinedBestFirst()
    {
        var benchmark = Candidate("naive2", 10, 1);
        var pool = new[] { benchmark, Candidate("a", 9, 0.9), Candidate("b", 8.5, 0.85), Candidate("c", 8, 0.8), Candidate("d", 9.5, 0.95), Candidate("e", 8.2, 0.82), Candidate("f", 8.8, 0.88), Candidate("g", 9.8, 0.98) };
        var members = ForecastCombination.Choose(pool, benchmark);

        Assert.Equal(["c", "e", "b", "f", "a", "d"], members.Select(m => m.Candidate.Forecaster.Name));
        Assert.True(members.Zip(members.Skip(1)).All(p => p.First.Weight > p.Second.Weight));
    }

    [Fact]
    public void TheCombinationIsTheWeightedMeanOfItsMembers()
    {
        var members = new[] { new CombinationMember(Candidate("a", 1, 1), 0.5, 0.75), new CombinationMember(Candidate("b", 1, 1), 0.9, 0.25) };
        var forecasts = new Dictionary<string, double[]> { ["a"] = [0, 4], ["b"] = [8, 8] };

        Assert.Equal([2.0, 5.0], ForecastCombination.WeightedMean(members, m => forecasts[m.Candidate.Forecaster.Name]));
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
