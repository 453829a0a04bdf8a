namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// Which validated candidates auto averages. Picking the single best on a short validation is noisy, and averaging
/// every candidate lets weak ones in; the rule between the two: with two or more origins, the equal-weight mean of
/// the candidates whose validation error is within <see cref="Tolerance"/> of the best (at most
/// <see cref="MaxMembers"/>), so one clearly better method is used alone and near-ties are averaged; with a single
/// origin the evidence is too thin to separate near-ties, so the best <see cref="MaxMembers"/> are averaged.
/// </summary>
internal static class ForecastCombination
{
    public const double Tolerance = 0.3;

    public const int MaxMembers = 6;

    public static IReadOnlyList<ValidatedCandidate> Choose(IReadOnlyList<ValidatedCandidate> candidates, int origins)
    {
        // A stable sort keeps the pool's order among equal errors, so the choice is deterministic.
        var ranked = candidates.OrderBy(c => c.MeanAbsoluteError).ToList();
        if (origins < 2)
        {
            return ranked.Take(MaxMembers).ToList();
        }

        var limit = (1 + Tolerance) * ranked[0].MeanAbsoluteError;
        return ranked.Where(c => c.MeanAbsoluteError <= limit).Take(MaxMembers).ToList();
    }

    /// <summary>The element-wise mean of the members' arrays (forecasts, or errors from one origin).</summary>
    public static double[] Mean(IReadOnlyList<double[]> arrays)
    {
        var result = new double[arrays[0].Length];
        foreach (var a in arrays)
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] += a[i] / arrays.Count;
            }
        }

        return result;
    }

    public static string Describe(IReadOnlyList<ValidatedCandidate> members) => members.Count == 1
        ? members[0].Forecaster.Name
        : $"mean({string.Join(", ", members.Select(m => m.Forecaster.Name))})";
}
