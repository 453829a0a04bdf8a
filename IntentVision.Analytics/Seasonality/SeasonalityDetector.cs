namespace IntentVision.Analytics.Seasonality;

/// <summary>
/// Decides which candidate periods a series really has. A period is kept when the series covers at least
/// <see cref="MinimumCycles"/> of it and its autocorrelation passes the M4 90% test. The autocorrelation is
/// computed after removing a linear trend, so that a trend does not masquerade as a long cycle.
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
        foreach (var period in candidates.Order())
        {
            if (values.Length < MinimumCycles * period)
            {
                continue;
            }

            if (Autocorrelation.PassesSeasonalityTest(detrended, period))
            {
                kept.Add(period);
            }
        }

        return kept;
    }
}
