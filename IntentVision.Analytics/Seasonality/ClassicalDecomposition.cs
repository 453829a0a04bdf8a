namespace IntentVision.Analytics.Seasonality;

/// <summary>
/// Classical decomposition by centred moving average, as the M4 benchmarks (Naive2, Theta, SES...) use it.
/// Only the seasonal indices are needed by its callers.
/// </summary>
public static class ClassicalDecomposition
{
    /// <summary>Seasonal index for each phase (t mod period). Multiplicative indices average 1, additive 0.</summary>
    public static double[] SeasonalIndices(ReadOnlySpan<double> values, int period, bool multiplicative)
    {
        var n = values.Length;
        var trend = CentredMovingAverage(values, period);
        var sums = new double[period];
        var counts = new int[period];
        for (var t = 0; t < n; t++)
        {
            if (double.IsNaN(trend[t]) || (multiplicative && trend[t] == 0))
            {
                continue;
            }

            var detrended = multiplicative ? values[t] / trend[t] : values[t] - trend[t];
            sums[t % period] += detrended;
            counts[t % period]++;
        }

        var indices = new double[period];
        var total = 0.0;
        for (var p = 0; p < period; p++)
        {
            indices[p] = counts[p] > 0 ? sums[p] / counts[p] : (multiplicative ? 1 : 0);
            total += indices[p];
        }

        var average = total / period;
        for (var p = 0; p < period; p++)
        {
            indices[p] = multiplicative ? indices[p] / average : indices[p] - average;
        }

        return indices;
    }

    private static double[] CentredMovingAverage(ReadOnlySpan<double> values, int period)
    {
        var n = values.Length;
        var result = new double[n];
        Array.Fill(result, double.NaN);
        var half = period / 2;
        var prefix = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            prefix[i + 1] = prefix[i] + values[i];
        }

        for (var t = half; t < n - half; t++)
        {
            if ((period & 1) == 1)
            {
                result[t] = (prefix[t + half + 1] - prefix[t - half]) / period;
            }
            else
            {
                // 2 x m moving average: the two end points get half weight so the window stays centred.
                if (t + half >= n)
                {
                    continue;
                }

                var inner = prefix[t + half] - prefix[t - half + 1];
                result[t] = (inner + (0.5 * values[t - half]) + (0.5 * values[t + half])) / period;
            }
        }

        return result;
    }
}
