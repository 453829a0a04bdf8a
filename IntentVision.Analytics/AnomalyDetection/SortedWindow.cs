using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
            // The oldest value leaves from the end of its run of equals; the new one enters at the front of its run. Both
            // places are ranks (counted without branching on the data: the values arrive in no predictable order), and only
            // the values between them move, by one.
            var sorted = _sorted.AsSpan(0, _count);
            var (to, from) = Ranks(sorted, value, _ring[_next]);
            from--;
            if (to <= from)
            {
                sorted[to..from].CopyTo(sorted[(to + 1)..]);
                sorted[to] = value;
            }
            else
            {
                sorted[(from + 1)..to].CopyTo(sorted[from..]);
                sorted[to - 1] = value;
            }
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

        // Where the centre splits the window: the middle when the centre lies between the middle values, as the window's
        // own median does (the level-shift evidence's case), searched for otherwise.
        var half = n / 2;
        var split = (half == 0 || _sorted[half - 1] < centre) && _sorted[half] >= centre ? half : LowerBound(centre);
        return SmallestDistances(centre, split, half, (n & 1) == 0);
    }

    /// <summary>
    /// The <paramref name="k"/>-th smallest (from 0) distance to <paramref name="centre"/>, or with <paramref name="meanWithPrevious"/>
    /// its mean with the (k-1)-th: left run A[i] = centre - sorted[split - 1 - i], right run B[j] = sorted[split + j] - centre,
    /// both non-decreasing. One search finds how many of the k + 1 smallest come from each run; the k-th is the largest of
    /// those, the (k-1)-th the largest once that one is left out.
    /// </summary>
    private double SmallestDistances(double centre, int split, int k, bool meanWithPrevious)
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
        var a = LeftDistance(centre, split, fromLeft - 1);
        var b = RightDistance(centre, split, fromRight - 1);
        var kth = Math.Max(a, b);
        if (!meanWithPrevious)
        {
            return kth;
        }

        var previous = a >= b ? Math.Max(LeftDistance(centre, split, fromLeft - 2), b) : Math.Max(a, RightDistance(centre, split, fromRight - 2));
        return (previous + kth) / 2;
    }

    /// <summary>A[i], or -infinity when the left run is taken from not at all (i below 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double LeftDistance(double centre, int split, int i) => i >= 0 ? centre - _sorted[split - 1 - i] : double.NegativeInfinity;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double RightDistance(double centre, int split, int j) => j >= 0 ? _sorted[split + j] - centre : double.NegativeInfinity;

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

    private int LowerBound(double value)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_sorted[mid] < value)
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

    /// <summary>
    /// How many of the sorted values lie below <paramref name="value"/>, and how many at or below <paramref name="old"/>,
    /// counted over every value four at a time. Two binary searches take a third of the instructions on the reference
    /// window (60 values) but were slower: each step waits for the load the previous one chose, where the blocks here
    /// are independent of each other.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Below, int AtOrBelow) Ranks(ReadOnlySpan<double> sorted, double value, double old)
    {
        int below = 0, atOrBelow = 0, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var values = Vector256.Create(value);
            var olds = Vector256.Create(old);
            ref var start = ref MemoryMarshal.GetReference(sorted);
            for (; i <= sorted.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var block = Vector256.LoadUnsafe(ref start, (nuint)i);
                below += BitOperations.PopCount(Vector256.LessThan(block, values).ExtractMostSignificantBits());
                atOrBelow += BitOperations.PopCount(Vector256.LessThanOrEqual(block, olds).ExtractMostSignificantBits());
            }
        }

        for (; i < sorted.Length; i++)
        {
            below += sorted[i] < value ? 1 : 0;
            atOrBelow += sorted[i] <= old ? 1 : 0;
        }

        return (below, atOrBelow);
    }
}
