namespace IntentVision.Analytics.Seasonality;

/// <summary>
/// Decides which candidate periods a series really has. A period is kept when the series covers at least
/// <see cref="MinimumCycles"/> of it and the autocorrelation at the period passes the M4 90% test twice: on the
/// series less a linear trend, so that a trend does not masquerade as a cycle, and on its first differences, so that
/// a random walk (whose autocorrelation is high at every lag) does not either; a true season survives differencing.
/// </summary>
public static class SeasonalityDetector
{
    public const int MinimumCycles = 3;

    public static IReadOnlyList<int> Detect(ReadOnlySpan<double> values, IReadOnlyList<int> candidates)
    {
        var kept = new List<int>();
        if (candidates.Count == 0 || values.Length < 6)
        {
            return kept;
        }

        var detrended = LinearTrend.Residuals(values);
        var differences = new double[values.Length - 1];
        for (var t = 1; t < values.Length; t++)
        {
            differences[t - 1] = values[t] - values[t - 1];
        }

        foreach (var period in candidates.Order())
        {
            if (values.Length < MinimumCycles * period)
            {
                continue;
            }

            if (Autocorrelation.PassesSeasonalityTest(detrended, period) && Autocorrelation.PassesSeasonalityTest(differences, period))
            {
                kept.Add(period);
            }
        }

        return kept;
    }
}
