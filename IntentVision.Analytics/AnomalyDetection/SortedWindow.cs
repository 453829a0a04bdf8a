using System.Runtime.CompilerServices;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// The latest <c>capacity</c> values kept both in arrival order and sorted (binary search, one block move per update), so
/// the median is O(1) and the median absolute deviation O(log n), with no re-sorting or selection per point. Equal values
/// lie newest first, the order a stable sort of the values newest first gives: the sorted copy is exactly what sorting
/// them would produce (down to the sign of a zero), so a median read from it is the one sorting gives.
/// </summary>
internal sealed class SortedWindow(int capacity)
{
    private readonly double[] _ring = new double[capacity];
    private readonly double[] _sorted = new double[capacity];
    private int _next;
    private int _count;

    public int Count => _count;

    public int Capacity => capacity;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        if (_count < capacity)
        {
            Insert(value);
        }
        else
        {
            // The oldest value leaves from the end of its run of equals and the new one takes its place, then moves down to
            // the front of its run of equals or up past the smaller values: only the values between the two places move.
            var sorted = _sorted.AsSpan(0, _count);
            var at = UpperBound(sorted, _ring[_next]) - 1;
            while (at > 0 && sorted[at - 1] >= value)
            {
                sorted[at] = sorted[at - 1];
                at--;
            }

            while (at + 1 < sorted.Length && sorted[at + 1] < value)
            {
                sorted[at] = sorted[at + 1];
                at++;
            }

            sorted[at] = value;
        }

        _ring[_next] = value;
        if (++_next == capacity)
        {
            _next = 0;
        }
    }

    public void Clear()
    {
        _count = 0;
        _next = 0;
    }

    /// <summary>Starts again from the latest values of <paramref name="history"/> (as many as fit), as if they had been added one by one.</summary>
    public void Refill(ValueHistory history)
    {
        Clear();
        for (var lag = Math.Min(capacity, history.Available); lag >= 1; lag--)
        {
            Add(history.Back(lag));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Median()
    {
        if (_count == 0)
        {
            return double.NaN;
        }

        var half = _count / 2;
        return (_count & 1) == 1 ? _sorted[half] : (_sorted[half - 1] + _sorted[half]) / 2;
    }

    /// <summary>
    /// Median of |x - <paramref name="centre"/>|, unscaled. The distances to the left of the centre and to its right form two
    /// sorted runs in the sorted window; the middle of their merge is found by binary search on how many come from the
    /// left run (O(log n), where merging outwards took n / 2 steps and was the costliest line of level-shift evidence).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double MedianAbsoluteDeviation(double centre)
    {
        var n = _count;
        if (n == 0)
        {
            return double.NaN;
        }

        var split = LowerBound(centre);
        var upper = SmallestDistance(centre, split, n / 2);
        return (n & 1) == 1 ? upper : (SmallestDistance(centre, split, (n / 2) - 1) + upper) / 2;
    }

    /// <summary>
    /// The <paramref name="k"/>-th smallest (from 0) distance to <paramref name="centre"/>: left run A[i] = centre -
    /// sorted[split - 1 - i], right run B[j] = sorted[split + j] - centre, both non-decreasing.
    /// </summary>
    private double SmallestDistance(double centre, int split, int k)
    {
        var leftCount = split;
        var rightCount = _count - split;
        var lo = Math.Max(0, k + 1 - rightCount);
        var hi = Math.Min(k + 1, leftCount);
        while (lo < hi)
        {
            // Taking i from the left run and k + 1 - i from the right: too few from the left while A[i] < B[j - 1].
            var i = (lo + hi) >>> 1;
            var j = k + 1 - i;
            if (centre - _sorted[split - 1 - i] < _sorted[split + j - 1] - centre)
            {
                lo = i + 1;
            }
            else
            {
                hi = i;
            }
        }

        var fromLeft = lo;
        var fromRight = k + 1 - fromLeft;
        var a = fromLeft > 0 ? centre - _sorted[split - fromLeft] : double.NegativeInfinity;
        var b = fromRight > 0 ? _sorted[split + fromRight - 1] - centre : double.NegativeInfinity;
        return Math.Max(a, b);
    }

    /// <summary>Writes the ring in arrival order from its oldest slot; the sorted copy follows from it.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_next);
        writer.WriteDoubles(_ring.AsSpan(0, _count));
    }

    public void Load(BinaryReader reader)
    {
        var next = reader.ReadInt32();
        var count = reader.ReadDoubles(_ring);
        StateBinary.Expect(next >= 0 && next < capacity && (count == capacity || next == count), "sorted window");

        // The sorted copy is rebuilt by inserting the values oldest first, so that equal values lie as Add left them.
        var oldest = count == capacity ? next : 0;
        _count = 0;
        for (var i = 0; i < count; i++)
        {
            Insert(_ring[(oldest + i) % capacity]);
        }

        _next = next;
    }

    /// <summary>Puts a value into the sorted copy, in front of its equals (the window is not full).</summary>
    private void Insert(double value)
    {
        var at = _count++;
        while (at > 0 && _sorted[at - 1] >= value)
        {
            _sorted[at] = _sorted[at - 1];
            at--;
        }

        _sorted[at] = value;
    }

    private int LowerBound(double value) => LowerBound(_sorted.AsSpan(0, _count), value);

    /// <summary>The first position whose value is not below <paramref name="value"/>.</summary>
    private static int LowerBound(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The first position whose value is above <paramref name="value"/>.</summary>
    private static int UpperBound(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
