using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>
    /// The median of <paramref name="values"/>, which are left as they are; <paramref name="scratch"/> (at least as long)
    /// is overwritten. The result is the one <see cref="MedianInPlace"/> gives for the values in this order, found with a
    /// fraction of its work on long inputs: three quantiles of a small sample bracket the middle ranks, and one pass without
    /// data-dependent branches counts the values below the bracket, inside it and around the sample's median. When the middle
    /// ranks fall on the sample median's value (common in quantised data, where many values are equal) that is the median;
    /// when they fall inside the bracket the values inside it are gathered and only they are selected from. When neither
    /// holds, or the median is a zero the values hold with both signs (the one case where which of two equal values is
    /// picked shows), the values are copied and selected from as MedianInPlace does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double MedianOf(ReadOnlySpan<double> values, Span<double> scratch)
    {
        var n = values.Length;
        if (n >= BracketFrom)
        {
            var (low, middle, high) = SampleQuantiles(values, scratch);
            var upperRank = n / 2;
            var lowerRank = (n & 1) == 1 ? upperRank : upperRank - 1;
            var (below, belowMiddle, atOrBelowMiddle, inside) = CountAround(values, low, middle, high);
            double lower, upper;
            if (belowMiddle <= lowerRank && upperRank < atOrBelowMiddle)
            {
                (lower, upper) = (middle, middle);
            }
            else if (below <= lowerRank && upperRank < below + inside)
            {
                // Only now are the values inside the bracket gathered (in their order), so the common case above reads
                // the values once, four at a time.
                var gathered = 0;
                foreach (var v in values)
                {
                    scratch[gathered] = v;
                    gathered += (v >= low) & (v <= high) ? 1 : 0;
                }

                var inner = scratch[..inside];
                var t = upperRank - below;
                upper = Select(inner, t);
                lower = upper;
                if (lowerRank != upperRank)
                {
                    // As in MedianInPlace: every value left of the selected one is no larger, so the lower middle is their maximum.
                    lower = double.NegativeInfinity;
                    foreach (var v in inner[..t])
                    {
                        lower = v > lower ? v : lower;
                    }
                }
            }
            else
            {
                (lower, upper) = (double.NaN, double.NaN);
            }

            if (!double.IsNaN(upper) && ((upper != 0 && lower != 0) || !HoldsBothZeros(values)))
            {
                return lowerRank == upperRank ? upper : (lower + upper) / 2;
            }
        }

        values.CopyTo(scratch);
        return MedianInPlace(scratch[..n]);
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

    /// <summary><see cref="MedianOf"/> brackets the middle from this many values on; below it selecting from all is as quick.</summary>
    private const int BracketFrom = 256;

    /// <summary>Values sampled to bracket the middle ranks, and how many sample ranks the bracket spans either side of the middle.</summary>
    private const int SampleSize = 64;
    private const int SampleMargin = 10;

    /// <summary>
    /// A range that holds the middle ranks of <paramref name="values"/> unless the sample misleads (about 1% of the time), and
    /// the sample's median; <paramref name="scratch"/>'s start holds the sample meanwhile.
    /// </summary>
    private static (double Low, double Middle, double High) SampleQuantiles(ReadOnlySpan<double> values, Span<double> scratch)
    {
        var sample = scratch[..SampleSize];
        for (var i = 0; i < SampleSize; i++)
        {
            sample[i] = values[(int)((((2L * i) + 1) * values.Length) / (2 * SampleSize))];
        }

        // Three selections rather than a sort: after the first, the values left of the middle are no larger than it and
        // those right of it no smaller.
        const int Half = SampleSize / 2;
        var middle = Select(sample, Half);
        var low = Select(sample[..Half], Half - SampleMargin);
        var high = Select(sample[(Half + 1)..], SampleMargin - 2);
        return (low, middle, high);
    }

    /// <summary>
    /// How many values lie below <paramref name="low"/>, below <paramref name="middle"/>, at or below it, and inside
    /// [low, <paramref name="high"/>], counted four at a time (comparisons that are false for NaN, as the scalar ones are).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Below, int BelowMiddle, int AtOrBelowMiddle, int Inside) CountAround(ReadOnlySpan<double> values, double low, double middle, double high)
    {
        int below = 0, belowMiddle = 0, atOrBelowMiddle = 0, inside = 0, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lows = Vector256.Create(low);
            var middles = Vector256.Create(middle);
            var highs = Vector256.Create(high);
            ref var start = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var block = Vector256.LoadUnsafe(ref start, (nuint)i);
                below += BitOperations.PopCount(Vector256.LessThan(block, lows).ExtractMostSignificantBits());
                belowMiddle += BitOperations.PopCount(Vector256.LessThan(block, middles).ExtractMostSignificantBits());
                atOrBelowMiddle += BitOperations.PopCount(Vector256.LessThanOrEqual(block, middles).ExtractMostSignificantBits());
                inside += BitOperations.PopCount((Vector256.GreaterThanOrEqual(block, lows) & Vector256.LessThanOrEqual(block, highs)).ExtractMostSignificantBits());
            }
        }

        for (; i < values.Length; i++)
        {
            var v = values[i];
            below += v < low ? 1 : 0;
            belowMiddle += v < middle ? 1 : 0;
            atOrBelowMiddle += v <= middle ? 1 : 0;
            inside += (v >= low) & (v <= high) ? 1 : 0;
        }

        return (below, belowMiddle, atOrBelowMiddle, inside);
    }

    /// <summary>Whether both +0 and -0 occur, read from the bits (0 and the sign bit alone), four values at a time.</summary>
    private static bool HoldsBothZeros(ReadOnlySpan<double> values)
    {
        var bits = MemoryMarshal.Cast<double, long>(values);
        bool positive = false, negative = false;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var positives = Vector256<long>.Zero;
            var negatives = Vector256<long>.Zero;
            var negativeZero = Vector256.Create(long.MinValue);
            ref var start = ref MemoryMarshal.GetReference(bits);
            for (; i <= bits.Length - Vector256<long>.Count; i += Vector256<long>.Count)
            {
                var block = Vector256.LoadUnsafe(ref start, (nuint)i);
                positives |= Vector256.Equals(block, Vector256<long>.Zero);
                negatives |= Vector256.Equals(block, negativeZero);
            }

            positive = positives != Vector256<long>.Zero;
            negative = negatives != Vector256<long>.Zero;
        }

        for (; i < bits.Length; i++)
        {
            positive |= bits[i] == 0;
            negative |= bits[i] == long.MinValue;
        }

        return positive && negative;
    }

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
