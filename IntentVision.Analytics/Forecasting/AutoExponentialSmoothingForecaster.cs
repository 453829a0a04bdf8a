namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// Chooses among the exponential-smoothing family by AICc, the way forecast::ets does: no trend, trend and
/// damped trend, each without season, with an additive and (for positive data) a multiplicative season.
/// </summary>
public sealed class AutoExponentialSmoothingForecaster(int period, bool allowSeasonal = true) : IPointForecaster
{
    public string Name => "ets";

    public PointForecast Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var best = SelectFit(history, period, allowSeasonal);
        return new PointForecast(best.Forecast(horizon), $"{best.Describe()}, lowest AICc of the family");
    }

    public static ExponentialSmoothingFit SelectFit(ReadOnlySpan<double> history, int period, bool allowSeasonal)
    {
        var seasons = new List<SeasonKind> { SeasonKind.None };
        if (allowSeasonal && period >= 2 && history.Length >= 3 * period)
        {
            seasons.Add(SeasonKind.Additive);
            var positive = true;
            foreach (var v in history)
            {
                positive &= v > 0;
            }

            if (positive)
            {
                seasons.Add(SeasonKind.Multiplicative);
            }
        }

        ExponentialSmoothingFit? best = null;
        foreach (var season in seasons)
        {
            foreach (var trend in new[] { TrendKind.None, TrendKind.Additive, TrendKind.DampedAdditive })
            {
                if (trend != TrendKind.None && history.Length < 6)
                {
                    continue;
                }

                var fit = ExponentialSmoothing.Fit(history, trend, season, period);
                if (best is null || fit.Aicc < best.Aicc)
                {
                    best = fit;
                }
            }
        }

        return best!;
    }
}
