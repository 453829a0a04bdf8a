namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// Backtest origins on the tail of a history: each origin fits on the points before it and forecasts the next
/// <see cref="Length"/>. Origins step back by half that length, so with an hourly horizon of 48 they sample four
/// different days; a short history gets a shorter validation horizon and fewer origins, never a fit on fewer than
/// the minimum points.
/// </summary>
internal sealed record RollingOrigins(IReadOnlyList<int> Starts, int Length)
{
    public const int DefaultCount = 4;

    public static RollingOrigins None { get; } = new([], 0);

    public int Count => Starts.Count;

    public static RollingOrigins Plan(int historyLength, int horizon, int minimumFit, int maxCount = DefaultCount)
    {
        var length = Math.Min(horizon, historyLength - minimumFit);
        if (length < 1 || maxCount < 1)
        {
            return None;
        }

        var step = Math.Max(1, (length + 1) / 2);
        var starts = new List<int>();
        for (var k = 0; k < maxCount; k++)
        {
            var start = historyLength - length - (k * step);
            if (start < minimumFit)
            {
                break;
            }

            starts.Add(start);
        }

        return new RollingOrigins(starts, length);
    }

    /// <summary>The forecast errors (actual - forecast) of a method from every origin.</summary>
    public List<double[]> Errors(IPointForecaster forecaster, double[] y, ForecastDomain domain)
    {
        var result = new List<double[]>(Count);
        foreach (var start in Starts)
        {
            result.Add(ErrorsOf(domain.Clip(forecaster.Forecast(y.AsSpan(0, start), Length).Values), y, start));
        }

        return result;
    }

    public double[] ErrorsOf(double[] forecast, double[] y, int start)
    {
        var errors = new double[Length];
        for (var h = 0; h < Length; h++)
        {
            errors[h] = y[start + h] - forecast[h];
        }

        return errors;
    }
}
