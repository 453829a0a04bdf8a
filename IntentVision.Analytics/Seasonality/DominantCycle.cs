namespace IntentVision.Analytics.Seasonality;

/// <summary>
/// The series' own strongest cycle, when it is not a calendar one: the lag of the highest local peak of the
/// autocorrelation function (of the linearly detrended series) above <see cref="MinimumAutocorrelation"/>, covered
/// at least three times. Some metrics repeat on a clock of their own (a 23-hour cycle, a machine's duty cycle), and
/// a calendar period then models them badly.
/// </summary>
public static class DominantCycle
{
    public const double MinimumAutocorrelation = 0.5;

    /// <summary>Longest lag searched: the cost is O(n × lag).</summary>
    public const int MaxLag = 400;

    /// <returns>The lag, or null when there is no strong peak or the peak is one of <paramref name="known"/>.</returns>
    public static int? Find(ReadOnlySpan<double> values, IReadOnlyList<int> known)
    {
        var maxLag = Math.Min(values.Length / SeasonalityDetector.MinimumCycles, MaxLag);
        if (maxLag < 3)
        {
            return null;
        }

        var acf = Autocorrelation.Compute(LinearTrend.Residuals(values), maxLag + 1);
        var best = -1;
        var bestValue = MinimumAutocorrelation;
        for (var lag = 2; lag <= maxLag; lag++)
        {
            if (acf[lag] > acf[lag - 1] && acf[lag] >= acf[lag + 1] && acf[lag] > bestValue)
            {
                best = lag;
                bestValue = acf[lag];
            }
        }

        return best < 0 || known.Contains(best) ? null : best;
    }
}
