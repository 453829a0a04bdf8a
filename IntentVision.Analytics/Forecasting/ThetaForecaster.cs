namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// The Theta method (Assimakopoulos and Nikolopoulos 2000) as the M4 benchmark implements it: the mean of the
/// linear-regression line (theta = 0) and SES on the theta = 2 line, on the seasonally adjusted series.
/// </summary>
public sealed class ThetaForecaster(int period, bool seasonallyAdjust = true) : IPointForecaster
{
    public string Name => "theta";

    public PointForecast Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var adjustment = seasonallyAdjust ? SeasonalAdjustment.Fit(history, period) : null;
        var adjusted = adjustment?.Adjust(history) ?? history.ToArray();
        var values = ForecastNonSeasonal(adjusted, horizon, out var alpha);
        adjustment?.Reseasonalise(values, history.Length);
        var seasonText = adjustment is null ? "no seasonal adjustment" : adjustment.Describe();
        return new PointForecast(values, $"Theta (SES alpha={alpha:0.###} on theta=2 line, half linear trend); {seasonText}");
    }

    /// <summary>Theta forecast of a series that has no seasonality left in it.</summary>
    public static double[] ForecastNonSeasonal(ReadOnlySpan<double> y, int horizon, out double alpha)
    {
        var n = y.Length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            double x = i + 1;
            sx += x;
            sy += y[i];
            sxx += x * x;
            sxy += x * y[i];
        }

        var denominator = (n * sxx) - (sx * sx);
        var slope = n > 1 && denominator != 0 ? ((n * sxy) - (sx * sy)) / denominator : 0;
        var intercept = (sy - (slope * sx)) / n;
        var thetaLine = new double[n];
        for (var i = 0; i < n; i++)
        {
            thetaLine[i] = (2 * y[i]) - (intercept + (slope * (i + 1)));
        }

        var values = new double[horizon];
        if (n < 2)
        {
            alpha = 1;
            Array.Fill(values, y[^1]);
            return values;
        }

        var ses = ExponentialSmoothing.Fit(thetaLine, TrendKind.None, SeasonKind.None);
        alpha = ses.Alpha;
        var sesForecast = ses.Forecast(horizon);
        for (var h = 0; h < horizon; h++)
        {
            var line = intercept + (slope * (n + h + 1));
            values[h] = (0.5 * sesForecast[h]) + (0.5 * line);
        }

        return values;
    }
}
