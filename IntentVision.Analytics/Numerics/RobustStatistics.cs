using System.Runtime.CompilerServices;

namespace IntentVision.Analytics.Numerics;

/// <summary>Median-based statistics: anomalies must not inflate the scale they are judged against.</summary>
internal static class RobustStatistics
{
    /// <summary>Makes the MAD a consistent estimator of the standard deviation for Gaussian data.</summary>
    public const double MadToSigma = 1.4826;

    public static double Median(ReadOnlySpan<double> values)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var copy = values.Length <= 512 ? stackalloc double[values.Length] : new double[values.Length];
        values.CopyTo(copy);
        return MedianInPlace(copy);
    }

    /// <summary>Quickselect median; reorders <paramref name="values"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double MedianInPlace(Span<double> values)
    {
        var n = values.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        if (n <= SmallSort)
        {
            // The detectors take medians of a handful of values at every point: sorting them outright is quicker.
            InsertionSort.Sort(values);
            return (n & 1) == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
        }

        var upper = Select(values, n / 2);
        if ((n & 1) == 1)
        {
            return upper;
        }

        // After selecting n/2 every element left of it is <= it, so the lower middle is their maximum.
        var lower = double.NegativeInfinity;
        for (var i = 0; i < n / 2; i++)
        {
            if (values[i] > lower)
            {
                lower = values[i];
            }
        }

        return (lower + upper) / 2;
    }

    /// <summary>Median absolute deviation around <paramref name="center"/>, unscaled.</summary>
    public static double MedianAbsoluteDeviation(ReadOnlySpan<double> values, double center)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var deviations = values.Length <= 512 ? stackalloc double[values.Length] : new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            deviations[i] = Math.Abs(values[i] - center);
        }

        return MedianInPlace(deviations);
    }

    public static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return values.Length == 0 ? double.NaN : sum / values.Length;
    }

    private const int SmallSort = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Select(Span<double> a, int k)
    {
        var left = 0;
        var right = a.Length - 1;
        while (left < right)
        {
            var pivot = a[left + ((right - left) / 2)];
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return a[k];
            }
        }

        return a[k];
    }
}
