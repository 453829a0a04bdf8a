using IntentVision.Analytics.Forecasting;
using IntentVision.Evaluation.M4;

namespace IntentVision.Analytics.Tests.Forecasting;

/// <summary>
/// auto, scored as the m4 command scores it, against every candidate it weighs run on its own: it may not be worse
/// than the best of them by more than 0.01 OWA, on series of every M4 frequency's shape. Averages over a few series
/// are noise, so each set is large enough for the rule to be meaningful (the seeds are fixed, the result is exact).
/// </summary>
public sealed class AutoNeverWorseTests
{
    [Theory]
    [InlineData("hourly", 60)]
    [InlineData("daily", 100)]
    [InlineData("weekly", 100)]
    [InlineData("monthly", 200)]
    [InlineData("quarterly", 200)]
    [InlineData("yearly", 400)]
    public void AutoIsNeverWorseThanItsBestCandidate(string frequencyName, int count)
    {
        var frequency = M4Frequency.Parse(frequencyName);
        var series = SyntheticM4.For(frequency, count);
        var evaluator = new M4Evaluator(frequency);
        var naive2 = evaluator.Evaluate(series, "naive2", 2);
        var candidates = AutoCandidates.MethodNames(frequency.SeasonalLag)
            .Select(method => (method, Owa: M4Table.Owa(evaluator.Evaluate(series, method, 2), naive2)))
            .ToList();
        var auto = M4Table.Owa(evaluator.Evaluate(series, "auto", 2), naive2);
        var best = candidates.MinBy(c => c.Owa);
        Assert.True(auto <= best.Owa + 0.01, $"{frequency.Name}: auto OWA {auto:0.000}, best candidate {best.method} {best.Owa:0.000}; all: {string.Join(", ", candidates.Select(c => $"{c.method} {c.Owa:0.000}"))}");
    }
}
