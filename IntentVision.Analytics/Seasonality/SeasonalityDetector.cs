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

        var detrended = Detrend(values);
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

    private static double[] Detrend(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            sx += i;
            sy += values[i];
            sxx += (double)i * i;
            sxy += i * values[i];
        }

        var denominator = (n * sxx) - (sx * sx);
        var slope = denominator == 0 ? 0 : ((n * sxy) - (sx * sy)) / denominator;
        var intercept = (sy - (slope * sx)) / n;
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = values[i] - (intercept + (slope * i));
        }

        return result;
    }
}
