using System.Globalization;

namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// How auto combines its validated candidates. Each gets a validation OWA: its backtest sMAPE and MASE, each
/// relative to the benchmark's (Naive2, as M4 scores), averaged; so candidates are ranked by the measures the
/// forecasts are judged by, at the forecast's horizon, not by one-step fit. The candidates whose score is within
/// <see cref="Tolerance"/> of the best (at most <see cref="MaxMembers"/>) are averaged with weights proportional to
/// the inverse square of their score (Bates and Granger's inverse-MSE weights, with the score in place of the MSE):
/// a clear winner is used alone, near-ties share, and within them the better weighs more, so a member that only just
/// got in moves the forecast little.
/// </summary>
internal static class ForecastCombination
{
    public const double Tolerance = 0.4;

    public const int MaxMembers = 6;

    /// <summary>Keeps a perfect backtest (a score of 0) from dividing by zero; it then takes all the weight.</summary>
    private const double ScoreFloor = 1e-9;

    /// <summary>The members, best first, with their validation OWA and weights that sum to 1.</summary>
    public static IReadOnlyList<CombinationMember> Choose(IReadOnlyList<ValidatedCandidate> candidates, ValidatedCandidate benchmark)
    {
        var smape = Math.Max(benchmark.SymmetricMape, ScoreFloor);
        var mase = Math.Max(benchmark.Mase, ScoreFloor);

        // A stable sort keeps the pool's order among equal scores, so the choice is deterministic.
        var ranked = candidates
            .Select(c => (Candidate: c, Score: Math.Max(0.5 * ((c.SymmetricMape / smape) + (c.Mase / mase)), ScoreFloor)))
            .OrderBy(c => c.Score)
            .ToList();
        var limit = (1 + Tolerance) * ranked[0].Score;
        ranked = ranked.Where(c => c.Score <= limit).Take(MaxMembers).ToList();
        var total = ranked.Sum(c => 1 / (c.Score * c.Score));
        return ranked.Select(c => new CombinationMember(c.Candidate, c.Score, 1 / (c.Score * c.Score) / total)).ToList();
    }

    /// <summary>The element-wise weighted mean of the members' arrays (forecasts, or errors from one origin).</summary>
    public static double[] WeightedMean(IReadOnlyList<CombinationMember> members, Func<CombinationMember, double[]> values)
    {
        double[]? result = null;
        foreach (var member in members)
        {
            var array = values(member);
            result ??= new double[array.Length];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] += member.Weight * array[i];
            }
        }

        return result ?? [];
    }

    public static string Describe(IReadOnlyList<CombinationMember> members) => members.Count == 1
        ? members[0].Candidate.Forecaster.Name
        : $"weighted({string.Join(", ", members.Select(m => m.Candidate.Forecaster.Name))})";

    /// <summary>Every member with its weight and validation OWA, for the model info.</summary>
    public static string DescribeWeights(IReadOnlyList<CombinationMember> members) => string.Join(
        ", ",
        members.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Candidate.Forecaster.Name} {m.Weight:0.00} (validation OWA {m.Score:0.000})")));
}
