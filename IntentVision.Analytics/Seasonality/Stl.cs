namespace IntentVision.Analytics.Seasonality;

/// <summary>
/// STL: Seasonal-Trend decomposition by LOESS (Cleveland, Cleveland, McRae and Terpenning 1990), a port of
/// the reference Fortran. With <c>robustIterations</c> &gt; 0 the outer loop down-weights large remainders
/// with bisquare weights, so outliers and short anomalies do not leak into the seasonal pattern.
/// </summary>
public sealed class Stl
{
    private readonly int _period;
    private readonly int _seasonalSpan;
    private readonly int _trendSpan;
    private readonly int _lowPassSpan;
    private readonly int _innerIterations;
    private readonly int _robustIterations;

    public Stl(int period, int seasonalSpan = 11, int innerIterations = 2, int robustIterations = 0)
    {
        if (period < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "STL needs a period of at least 2.");
        }

        _period = period;
        _seasonalSpan = NextOdd(Math.Max(seasonalSpan, 7));

        // The defaults of Cleveland et al.: the trend window is wide enough that it cannot absorb the season.
        _trendSpan = NextOdd((int)Math.Ceiling(1.5 * period / (1 - (1.5 / _seasonalSpan))));
        _lowPassSpan = NextOdd(period);
        _innerIterations = innerIterations;
        _robustIterations = robustIterations;
    }

    /// <summary>Returns (seasonal, trend) for <paramref name="y"/>.</summary>
    public (double[] Seasonal, double[] Trend) Decompose(ReadOnlySpan<double> y)
    {
        var n = y.Length;
        var np = _period;
        var seasonal = new double[n];
        var trend = new double[n];
        var weights = new double[n];
        var cycle = new double[n + (2 * np)];
        var work1 = new double[n + (2 * np)];
        var work2 = new double[n + (2 * np)];
        var work3 = new double[n + (2 * np)];
        var subseries = new double[(n / np) + 3];
        var subWeights = new double[(n / np) + 3];
        var subSmooth = new double[(n / np) + 3];
        var loessWork = new double[Math.Max(n + (2 * np), _trendSpan + 2)];
        var seasonalJump = (int)Math.Ceiling(_seasonalSpan / 10.0);
        var trendJump = (int)Math.Ceiling(_trendSpan / 10.0);
        var lowPassJump = (int)Math.Ceiling(_lowPassSpan / 10.0);
        var useWeights = false;

        for (var outer = 0; outer <= _robustIterations; outer++)
        {
            for (var inner = 0; inner < _innerIterations; inner++)
            {
                for (var i = 0; i < n; i++)
                {
                    work1[i] = y[i] - trend[i];
                }

                SmoothCycleSubseries(work1.AsSpan(0, n), useWeights ? weights : ReadOnlySpan<double>.Empty, cycle, subseries, subWeights, subSmooth, loessWork, seasonalJump);
                LowPass(cycle, n, work2, work3);
                Loess.Smooth(work2.AsSpan(0, n), _lowPassSpan, 1, lowPassJump, ReadOnlySpan<double>.Empty, work3.AsSpan(0, n), loessWork);
                for (var i = 0; i < n; i++)
                {
                    seasonal[i] = cycle[np + i] - work3[i];
                    work1[i] = y[i] - seasonal[i];
                }

                Loess.Smooth(work1.AsSpan(0, n), _trendSpan, 1, trendJump, useWeights ? weights : ReadOnlySpan<double>.Empty, trend, loessWork);
            }

            if (outer < _robustIterations)
            {
                RobustnessWeights(y, seasonal, trend, weights);
                useWeights = true;
            }
        }

        return (seasonal, trend);
    }

    private void SmoothCycleSubseries(ReadOnlySpan<double> y, ReadOnlySpan<double> weights, double[] cycle, double[] sub, double[] subWeights, double[] smooth, double[] work, int jump)
    {
        var n = y.Length;
        var np = _period;
        for (var j = 0; j < np; j++)
        {
            var k = ((n - (j + 1)) / np) + 1;
            if (k <= 0)
            {
                continue;
            }

            for (var i = 0; i < k; i++)
            {
                sub[i] = y[(i * np) + j];
                if (!weights.IsEmpty)
                {
                    subWeights[i] = weights[(i * np) + j];
                }
            }

            var subSpan = sub.AsSpan(0, k);
            var subW = weights.IsEmpty ? ReadOnlySpan<double>.Empty : subWeights.AsSpan(0, k);

            // The seasonal smoother uses degree 0 (a local mean), as R's stl does by default.
            Loess.Smooth(subSpan, _seasonalSpan, 0, jump, subW, smooth.AsSpan(1, k), work);
            var right = Math.Min(_seasonalSpan, k);
            var first = Loess.Estimate(subSpan, _seasonalSpan, 0, 0, 1, right, subW, work, out var ok);
            smooth[0] = ok ? first : smooth[1];
            var left = Math.Max(1, k - _seasonalSpan + 1);
            var last = Loess.Estimate(subSpan, _seasonalSpan, 0, k + 1, left, k, subW, work, out ok);
            smooth[k + 1] = ok ? last : smooth[k];
            for (var m = 0; m < k + 2; m++)
            {
                cycle[(m * np) + j] = smooth[m];
            }
        }
    }

    /// <summary>Moving averages of length period, period and 3, which take the n + 2·period cycle values to n.</summary>
    private void LowPass(double[] cycle, int n, double[] output, double[] temp)
    {
        var np = _period;
        MovingAverage(cycle, n + (2 * np), np, temp);
        MovingAverage(temp, n + np + 1, np, output);
        MovingAverage(output, n + 2, 3, temp);
        Array.Copy(temp, output, n);
    }

    private static void MovingAverage(double[] x, int length, int window, double[] result)
    {
        var count = length - window + 1;
        var sum = 0.0;
        for (var i = 0; i < window; i++)
        {
            sum += x[i];
        }

        result[0] = sum / window;
        for (var i = 1; i < count; i++)
        {
            sum += x[i + window - 1] - x[i - 1];
            result[i] = sum / window;
        }
    }

    private static void RobustnessWeights(ReadOnlySpan<double> y, double[] seasonal, double[] trend, double[] weights)
    {
        var n = y.Length;
        var residuals = new double[n];
        for (var i = 0; i < n; i++)
        {
            residuals[i] = Math.Abs(y[i] - seasonal[i] - trend[i]);
        }

        var copy = (double[])residuals.Clone();
        var cmad = 6 * Numerics.RobustStatistics.MedianInPlace(copy);
        var c9 = 0.999 * cmad;
        var c1 = 0.001 * cmad;
        for (var i = 0; i < n; i++)
        {
            var r = residuals[i];
            if (r <= c1)
            {
                weights[i] = 1;
            }
            else if (r <= c9)
            {
                var u = r / cmad;
                weights[i] = (1 - (u * u)) * (1 - (u * u));
            }
            else
            {
                weights[i] = 0;
            }
        }
    }

    private static int NextOdd(int x) => (x & 1) == 1 ? x : x + 1;
}
