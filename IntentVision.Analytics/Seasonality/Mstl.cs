namespace IntentVision.Analytics.Seasonality;

/// <summary>
/// MSTL (Bandara, Hyndman and Bergmeir 2021): several seasonalities removed one at a time by STL, shortest
/// period first, iterated so that each seasonal is estimated with the others taken out.
/// </summary>
public static class Mstl
{
    public static StlDecomposition Decompose(ReadOnlySpan<double> values, IReadOnlyList<int> periods, int iterations = 2, int robustIterations = 1)
    {
        var n = values.Length;
        var sorted = periods.Where(p => p >= 2 && n >= 2 * p).Distinct().Order().ToArray();
        var deseasonalised = values.ToArray();
        var seasonals = new double[sorted.Length][];
        var trend = new double[n];
        if (sorted.Length == 0)
        {
            // Nothing seasonal fits in the series: all of it is trend.
            return new StlDecomposition(values.ToArray(), [], [], new double[n]);
        }

        for (var i = 0; i < sorted.Length; i++)
        {
            seasonals[i] = new double[n];
        }

        var rounds = sorted.Length == 1 ? 1 : iterations;
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < sorted.Length; i++)
            {
                for (var t = 0; t < n; t++)
                {
                    deseasonalised[t] += seasonals[i][t];
                }

                // Longer periods get wider seasonal windows (7 + 4i, as in R's mstl) so they change more slowly.
                var stl = new Stl(sorted[i], 7 + (4 * (i + 1)), innerIterations: robustIterations > 0 ? 1 : 2, robustIterations: robustIterations);
                var (seasonal, fittedTrend) = stl.Decompose(deseasonalised);
                seasonals[i] = seasonal;
                trend = fittedTrend;
                for (var t = 0; t < n; t++)
                {
                    deseasonalised[t] -= seasonal[t];
                }
            }
        }

        var remainder = new double[n];
        for (var t = 0; t < n; t++)
        {
            remainder[t] = deseasonalised[t] - trend[t];
        }

        return new StlDecomposition(trend, sorted, seasonals, remainder);
    }
}
