namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// The methods auto weighs for one series. Every series: M4's benchmarks on the series adjusted for its primary
/// season when the 90% autocorrelation test finds one (naive2, ses, holt, damped, theta), and the
/// exponential-smoothing family chosen by AICc when the season is at most <see cref="MaxEtsSeason"/> long (longer
/// seasons are left to MSTL: Holt-Winters with 24 seasonal states is slow and weak), and the seasonal naive. A
/// seasonal series adds MSTL (robust, every detected season) with ETS or Theta on the adjusted series and the seasonal
/// naive of its longest season; a positive series adds the same on log values (plain ETS and Theta on the logs when
/// it has no season). A series with a strong cycle of its own adds the seasonal naive and MSTL + Theta at it.
/// </summary>
public static class AutoCandidates
{
    public const int MaxEtsSeason = 12;

    /// <summary>The candidate every other is measured against, as M4 measures against Naive2; always in the pool.</summary>
    public const string Benchmark = "naive2";

    internal static IReadOnlyList<IPointForecaster> For(ReadOnlySpan<double> y, int primary, IReadOnlyList<int> seasons, int? cycle)
    {
        var list = new List<IPointForecaster>
        {
            new Naive2Forecaster(primary),
            new SeasonallyAdjustedForecaster("ses", primary, TrendKind.None),
            new SeasonallyAdjustedForecaster("holt", primary, TrendKind.Additive),
            new SeasonallyAdjustedForecaster("damped", primary, TrendKind.DampedAdditive),
            new ThetaForecaster(primary),
        };
        if (primary <= MaxEtsSeason)
        {
            list.Add(new AutoExponentialSmoothingForecaster(primary));
        }

        if (primary >= 2)
        {
            list.Add(new SeasonalNaiveForecaster(primary));
        }

        // MSTL + ETS and MSTL + Theta decompose the same history: one decomposition serves both.
        var cache = new DecompositionCache();
        if (seasons.Count > 0)
        {
            list.Add(new MstlForecaster(seasons, AdjustedSeriesModel.ExponentialSmoothing, false, cache));
            list.Add(new MstlForecaster(seasons, AdjustedSeriesModel.Theta, false, cache));
        }

        // On log values a trend that grows by a constant ratio becomes linear; without seasons these are ETS and
        // Theta on the logs, and they are distinct from the raw-value candidates above.
        if (IsPositive(y))
        {
            list.Add(new MstlForecaster(seasons, AdjustedSeriesModel.ExponentialSmoothing, true, cache));
            list.Add(new MstlForecaster(seasons, AdjustedSeriesModel.Theta, true, cache));
        }

        if (seasons.Count > 0 && seasons.Max() != primary)
        {
            list.Add(new SeasonalNaiveForecaster(seasons.Max(), LongestSeasonalNaive));
        }

        if (cycle is { } c)
        {
            // The cycle may be the primary season when the seasonality test missed it; its seasonal naive is then
            // already in the pool.
            if (c != primary)
            {
                list.Add(new SeasonalNaiveForecaster(c, CycleSeasonalNaive));
            }

            list.Add(new MstlForecaster([c], AdjustedSeriesModel.Theta, false, new DecompositionCache(), CycleMstlTheta));
        }

        return list;
    }

    public const string LongestSeasonalNaive = "snaive-long";

    public const string CycleSeasonalNaive = "cycle-snaive";

    public const string CycleMstlTheta = "cycle-mstl-theta";

    /// <summary>
    /// The named methods (<see cref="SeriesForecaster.Methods"/>) that are auto's candidates for a series with this
    /// primary season; the ones for seasons and cycles apply only where the series has them.
    /// </summary>
    public static IReadOnlyList<string> MethodNames(int primary)
    {
        var names = new List<string> { "naive2", "ses", "holt", "damped", "theta" };
        if (primary <= MaxEtsSeason)
        {
            names.Add("ets");
        }

        if (primary >= 2)
        {
            names.Add("snaive");
        }

        names.AddRange(["mstl-ets", "mstl-theta", "mstl-ets-log", "mstl-theta-log", LongestSeasonalNaive, CycleSeasonalNaive, CycleMstlTheta]);
        return names;
    }

    private static bool IsPositive(ReadOnlySpan<double> y)
    {
        foreach (var v in y)
        {
            if (v <= 0)
            {
                return false;
            }
        }

        return true;
    }
}
