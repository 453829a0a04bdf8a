namespace IntentVision.Analytics.Forecasting;

/// <summary>A candidate method with its errors from every backtest origin and their mean absolute value.</summary>
internal sealed record ValidatedCandidate(IPointForecaster Forecaster, IReadOnlyList<double[]> Errors, double MeanAbsoluteError)
{
    public static ValidatedCandidate Validate(IPointForecaster forecaster, RollingOrigins origins, double[] y, ForecastDomain domain)
    {
        var errors = origins.Errors(forecaster, y, domain);
        var sum = 0.0;
        var count = 0;
        foreach (var e in errors)
        {
            foreach (var v in e)
            {
                sum += Math.Abs(v);
                count++;
            }
        }

        return new ValidatedCandidate(forecaster, errors, count > 0 ? sum / count : double.PositiveInfinity);
    }
}
