namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// A candidate method with its errors from every backtest origin and the M4 measures of those forecasts: the mean
/// over origins of the symmetric MAPE, and of the MASE scaled by the seasonal-naive error of the points that origin
/// fitted on (so an origin after a calm stretch weighs as much as one after a wild one).
/// </summary>
internal sealed record ValidatedCandidate(IPointForecaster Forecaster, IReadOnlyList<double[]> Errors, double SymmetricMape, double Mase)
{
    public static ValidatedCandidate Validate(IPointForecaster forecaster, RollingOrigins origins, double[] y, int seasonalLag, ForecastDomain domain)
    {
        var errors = new List<double[]>(origins.Count);
        var smape = 0.0;
        var mase = 0.0;
        foreach (var (start, forecast) in origins.Forecasts(forecaster, y, domain))
        {
            var e = origins.ErrorsOf(forecast, y, start);
            errors.Add(e);
            smape += ForecastAccuracy.SymmetricMape(y.AsSpan(start, origins.Length), forecast) / origins.Count;

            // A flat stretch before the origin has no naive error to scale by; the floor keeps the ratio finite, and
            // every candidate shares it, so their ranking is kept.
            var scale = Math.Max(ForecastAccuracy.SeasonalNaiveMae(y.AsSpan(0, start), seasonalLag), ScaleFloor);
            mase += e.Average(Math.Abs) / scale / origins.Count;
        }

        return new ValidatedCandidate(forecaster, errors, smape, mase);
    }

    /// <summary>Values are fitted in units of the series' largest magnitude, so this is tiny against any real change.</summary>
    private const double ScaleFloor = 1e-9;
}
