namespace IntentVision.Analytics.Seasonality;

/// <summary>Least-squares straight line through a series, removed so that a trend does not pass for a long cycle.</summary>
internal static class LinearTrend
{
    public static double[] Residuals(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            sx += i;
            sy += values[i];
            sxx += (double)i * i;
            sxy += i * values[i];
        }

        var denominator = (n * sxx) - (sx * sx);
        var slope = denominator == 0 ? 0 : ((n * sxy) - (sx * sy)) / denominator;
        var intercept = (sy - (slope * sx)) / n;
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = values[i] - (intercept + (slope * i));
        }

        return result;
    }
}
