namespace IntentVision.Analytics.Forecasting;

/// <summary>
/// Backtest origins on the tail of a history: each origin fits on the points before it and forecasts the next
/// <see cref="Length"/>. Origins step back by half that length, so with an hourly horizon of 48 they sample four
/// different days; a short history gets a shorter validation horizon and fewer origins, never a fit on fewer than
/// the minimum points.
/// </summary>
/// <remarks>
/// How many origins: enough that the backtest holds about <see cref="ErrorBudget"/> forecast errors per method,
/// never fewer than the minimum asked for nor more than <see cref="MaxCount"/>. A short horizon gives few errors per
/// origin (a quarterly horizon of 8, a yearly one of 6), and ranking a dozen candidates on 32 errors is mostly
/// noise; a 48-step horizon already gives 192 errors from four origins, so hourly data keeps four.
/// </remarks>
internal sealed record RollingOrigins(IReadOnlyList<int> Starts, int Length)
{
    /// <summary>The fewest origins a plan asks for where the history has room for them.</summary>
    public const int DefaultCount = 4;

    /// <summary>The most origins a plan uses: each one refits every candidate.</summary>
    public const int MaxCount = 10;

    /// <summary>The forecast errors per method the origins should hold together.</summary>
    public const int ErrorBudget = 150;

    public static RollingOrigins None { get; } = new([], 0);

    public int Count => Starts.Count;

    /// <param name="historyLength">Points of history.</param>
    /// <param name="horizon">The forecast horizon: the validation horizon when the history allows.</param>
    /// <param name="minimumFit">The fewest points any origin fits on.</param>
    /// <param name="minCount">The fewest origins wanted; 0 plans none.</param>
    public static RollingOrigins Plan(int historyLength, int horizon, int minimumFit, int minCount = DefaultCount)
    {
        var length = Math.Min(horizon, historyLength - minimumFit);
        if (length < 1 || minCount < 1)
        {
            return None;
        }

        var count = Math.Max(minCount, Math.Min(MaxCount, (ErrorBudget + length - 1) / length));
        var step = Math.Max(1, (length + 1) / 2);
        var starts = new List<int>();
        for (var k = 0; k < count; k++)
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
        foreach (var forecast in Forecasts(forecaster, y, domain))
        {
            result.Add(ErrorsOf(forecast.Values, y, forecast.Start));
        }

        return result;
    }

    /// <summary>A method's clipped forecast from every origin, with the origin it starts at.</summary>
    public IEnumerable<(int Start, double[] Values)> Forecasts(IPointForecaster forecaster, double[] y, ForecastDomain domain)
    {
        foreach (var start in Starts)
        {
            yield return (start, domain.Clip(forecaster.Forecast(y.AsSpan(0, start), Length).Values));
        }
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
