namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// The methods auto weighs for one series. Every series: M4's benchmarks on the series adjusted for its primary
/// season when the 90% autocorrelation test finds one (naive2, ses, holt, damped, theta), and the
/// exponential-smoothing family chosen by AICc when the season is at most <see cref="MaxEtsSeason"/> long (longer
/// seasons are left to MSTL: Holt-Winters with 24 seasonal states is slow and weak). A seasonal series adds the
/// seasonal naive and MSTL (robust, every detected season) with ETS or Theta on the adjusted series, on log values too
/// for a positive series. A series with a strong cycle of its own adds the seasonal naive and MSTL + Theta at it.
/// </summary>
internal static class AutoCandidates
{
    public const int MaxEtsSeason = 12;

    public static IReadOnlyList<IPointForecaster> For(ReadOnlySpan<double> y, int primary, IReadOnlyList<int> seasons, int? cycle)
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

        if (seasons.Count > 0)
        {
            // MSTL + ETS and MSTL + Theta decompose the same history: one decomposition serves both.
            var cache = new DecompositionCache();
            list.Add(new MstlForecaster(seasons, AdjustedSeriesModel.ExponentialSmoothing, false, cache));
            list.Add(new MstlForecaster(seasons, AdjustedSeriesModel.Theta, false, cache));
            if (IsPositive(y))
            {
                list.Add(new MstlForecaster(seasons, AdjustedSeriesModel.ExponentialSmoothing, true, cache));
                list.Add(new MstlForecaster(seasons, AdjustedSeriesModel.Theta, true, cache));
            }

            var longest = seasons.Max();
            if (longest != primary)
            {
                list.Add(new SeasonalNaiveForecaster(longest, $"snaive{longest}"));
            }
        }

        if (cycle is { } c && c != primary)
        {
            list.Add(new SeasonalNaiveForecaster(c, CycleSeasonalNaive));
            list.Add(new MstlForecaster([c], AdjustedSeriesModel.Theta, false, new DecompositionCache(), CycleMstlTheta));
        }

        return list;
    }

    public const string CycleSeasonalNaive = "cycle-snaive";

    public const string CycleMstlTheta = "cycle-mstl-theta";

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
