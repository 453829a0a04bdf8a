namespace IntentVision.Analytics.Seasonality;

/// <summary>Sample autocorrelation function (biased estimator, as used by the M4 seasonality test).</summary>
public static class Autocorrelation
{
    public static double[] Compute(ReadOnlySpan<double> values, int maxLag)
    {
        var n = values.Length;
        var acf = new double[maxLag + 1];
        if (n < 2)
        {
            return acf;
        }

        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= n;
        var denominator = 0.0;
        foreach (var v in values)
        {
            denominator += (v - mean) * (v - mean);
        }

        if (denominator <= 0)
        {
            return acf;
        }

        acf[0] = 1;
        for (var lag = 1; lag <= maxLag && lag < n; lag++)
        {
            var sum = 0.0;
            for (var t = lag; t < n; t++)
            {
                sum += (values[t] - mean) * (values[t - lag] - mean);
            }

            acf[lag] = sum / denominator;
        }

        return acf;
    }

    /// <summary>Autocorrelation at one lag only: O(n) where the full function is O(n · lag).</summary>
    public static double AtLag(ReadOnlySpan<double> values, int lag)
    {
        var n = values.Length;
        if (lag <= 0 || lag >= n)
        {
            return 0;
        }

        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= n;
        double numerator = 0, denominator = 0;
        for (var t = 0; t < n; t++)
        {
            denominator += (values[t] - mean) * (values[t] - mean);
            if (t >= lag)
            {
                numerator += (values[t] - mean) * (values[t - lag] - mean);
            }
        }

        return denominator > 0 ? numerator / denominator : 0;
    }

    /// <summary>
    /// The M4 competition's 90% test: the autocorrelation at lag m must exceed
    /// 1.645 sqrt((1 + 2 Σ_{k&lt;m} r_k²) / n) (Bartlett's standard error).
    /// </summary>
    public static bool PassesSeasonalityTest(ReadOnlySpan<double> values, int period)
    {
        if (period < 2 || values.Length < 3 * period)
        {
            return false;
        }

        var acf = Compute(values, period);
        var sumSquares = 0.0;
        for (var k = 1; k < period; k++)
        {
            sumSquares += acf[k] * acf[k];
        }

        var limit = 1.645 * Math.Sqrt((1 + (2 * sumSquares)) / values.Length);
        return Math.Abs(acf[period]) > limit;
    }
}
