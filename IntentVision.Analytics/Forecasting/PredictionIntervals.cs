using MathNet.Numerics.Distributions;

namespace IntentVision.Analytics.Forecasting;

/// <summary>Half-widths of the 80% and 95% prediction intervals at every step of a forecast.</summary>
internal sealed record PredictionIntervals(double[] HalfWidth80, double[] HalfWidth95, string Description)
{
    /// <summary>Neighbouring steps whose errors are pooled: adjacent horizons err alike, and origins are few.</summary>
    private const int Pool = 3;

    public static PredictionIntervals Zero(int horizon, string why) => new(new double[horizon], new double[horizon], why);

    /// <summary>
    /// From backtest errors: the root mean square error at each step, pooled over ±3 neighbouring steps, times
    /// Student's t quantile for that many errors (few errors understate the spread; t widens for it). The scale
    /// never shrinks with the horizon, and past the backtested steps it grows like a random walk's.
    /// </summary>
    public static PredictionIntervals FromBacktests(IReadOnlyList<double[]> errors, int horizon)
    {
        if (errors.Count == 0 || errors.Max(e => e.Length) == 0)
        {
            return Zero(horizon, "no backtest possible: zero-width intervals");
        }

        var maxStep = errors.Max(e => e.Length);
        var w80 = new double[horizon];
        var w95 = new double[horizon];
        var previous = 0.0;
        var quantiles = new Dictionary<int, (double Q80, double Q95)>();
        for (var h = 0; h < horizon; h++)
        {
            var sum = 0.0;
            var count = 0;
            var centre = Math.Min(h, maxStep - 1);
            foreach (var e in errors)
            {
                for (var j = Math.Max(0, centre - Pool); j <= Math.Min(e.Length - 1, centre + Pool); j++)
                {
                    sum += e[j] * e[j];
                    count++;
                }
            }

            var scale = count > 0 ? Math.Sqrt(sum / count) : 0;
            if (h >= maxStep)
            {
                scale *= Math.Sqrt((h + 1.0) / maxStep);
            }

            scale = Math.Max(scale, previous);
            previous = scale;
            var freedom = Math.Max(count, 1);
            if (!quantiles.TryGetValue(freedom, out var q))
            {
                q = (StudentT.InvCDF(0, 1, freedom, 0.90), StudentT.InvCDF(0, 1, freedom, 0.975));
                quantiles[freedom] = q;
            }

            w80[h] = q.Q80 * scale;
            w95[h] = q.Q95 * scale;
        }

        return new PredictionIntervals(w80, w95, $"intervals from {errors.Count} backtest origin(s)");
    }

    /// <summary>Without room for a backtest: a random walk fitted to the point-to-point changes.</summary>
    public static PredictionIntervals RandomWalk(ReadOnlySpan<double> y, int horizon)
    {
        var n = y.Length;
        var sigma = 0.0;
        for (var i = 1; i < n; i++)
        {
            sigma += (y[i] - y[i - 1]) * (y[i] - y[i - 1]);
        }

        sigma = n > 1 ? Math.Sqrt(sigma / (n - 1)) : Math.Abs(y[0]) * 0.1;
        var w80 = new double[horizon];
        var w95 = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            w80[h] = 1.2816 * sigma * Math.Sqrt(h + 1);
            w95[h] = 1.96 * sigma * Math.Sqrt(h + 1);
        }

        return new PredictionIntervals(w80, w95, "intervals assume a random walk");
    }
}
