using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// The latest <c>capacity</c> values kept both in arrival order and sorted (ranks counted, the fewer values moved per update), so
/// the median is O(1) and the median absolute deviation O(log n), with no re-sorting or selection per point. Equal values
/// lie newest first, the order a stable sort of the values newest first gives: the sorted copy is exactly what sorting
/// them would produce (down to the sign of a zero), so a median read from it is the one sorting gives.
/// The sorted copy lies in a buffer three windows long, starting at <see cref="_start"/>: an update moves either the values
/// between the leaving and the entering value's places, or the values outside them (and the copy's start by one), whichever
/// are fewer. On a rising or falling stretch the oldest value is the smallest or largest and the new one the other end, so
/// nearly nothing moves where the whole window used to; the copy is moved back to the middle when it reaches an end.
/// </summary>
internal sealed class SortedWindow(int capacity)
{
    private readonly double[] _ring = new double[capacity];
    private readonly double[] _sorted = new double[3 * capacity];
    /// <summary>Where the sorted copy starts in its buffer: at 0 until the first move needs room below it.</summary>
    private int _start;
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
            // places are ranks (counted without branching on the data: the values arrive in no predictable order).
            var n = _count;
            var (to, from) = Ranks(_sorted.AsSpan(_start, n), value, _ring[_next]);
            from--;
            if (to <= from)
            {
                // Either the values from the new place to the old one move up by one, or those before the new place and
                // after the old one move down by one, and the copy starts one earlier.
                if (from - to <= to + (n - 1 - from))
                {
                    var sorted = _sorted.AsSpan(_start, n);
                    sorted[to..from].CopyTo(sorted[(to + 1)..]);
                    sorted[to] = value;
                }
                else
                {
                    MakeRoom(-1);
                    var sorted = _sorted.AsSpan(_start - 1, n + 1);
                    sorted.Slice(1, to).CopyTo(sorted);
                    sorted[(from + 2)..].CopyTo(sorted[(from + 1)..]);
                    sorted[to] = value;
                    _start--;
                }
            }
            else if (to - 1 - from <= from + (n - to))
            {
                var sorted = _sorted.AsSpan(_start, n);
                sorted[(from + 1)..to].CopyTo(sorted[from..]);
                sorted[to - 1] = value;
            }
            else
            {
                // The values before the old place and from the new one on move up by one, and the copy starts one later.
                MakeRoom(1);
                var sorted = _sorted.AsSpan(_start, n + 1);
                sorted[..from].CopyTo(sorted[1..]);
                sorted[to..n].CopyTo(sorted[(to + 1)..]);
                sorted[to] = value;
                _start++;
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
        _start = capacity;
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

        var half = _start + (_count / 2);
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
        var sorted = _sorted.AsSpan(_start, n);
        var half = n / 2;
        var split = (half == 0 || sorted[half - 1] < centre) && sorted[half] >= centre ? half : LowerBound(sorted, centre);
        return SmallestDistances(sorted, centre, split, half, (n & 1) == 0);
    }

    /// <summary>
    /// The <paramref name="k"/>-th smallest (from 0) distance to <paramref name="centre"/>, or with <paramref name="meanWithPrevious"/>
    /// its mean with the (k-1)-th: left run A[i] = centre - sorted[split - 1 - i], right run B[j] = sorted[split + j] - centre,
    /// both non-decreasing. One search finds how many of the k + 1 smallest come from each run; the k-th is the largest of
    /// those, the (k-1)-th the largest once that one is left out.
    /// </summary>
    private static double SmallestDistances(ReadOnlySpan<double> sorted, double centre, int split, int k, bool meanWithPrevious)
    {
        var leftCount = split;
        var rightCount = sorted.Length - split;
        var lo = Math.Max(0, k + 1 - rightCount);
        var hi = Math.Min(k + 1, leftCount);
        while (lo < hi)
        {
            // Taking i from the left run and k + 1 - i from the right: too few from the left while A[i] < B[j - 1].
            var i = (lo + hi) >>> 1;
            var j = k + 1 - i;
            if (centre - sorted[split - 1 - i] < sorted[split + j - 1] - centre)
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
        var a = LeftDistance(sorted, centre, split, fromLeft - 1);
        var b = RightDistance(sorted, centre, split, fromRight - 1);
        var kth = Math.Max(a, b);
        if (!meanWithPrevious)
        {
            return kth;
        }

        var previous = a >= b ? Math.Max(LeftDistance(sorted, centre, split, fromLeft - 2), b) : Math.Max(a, RightDistance(sorted, centre, split, fromRight - 2));
        return (previous + kth) / 2;
    }

    /// <summary>A[i], or -infinity when the left run is taken from not at all (i below 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double LeftDistance(ReadOnlySpan<double> sorted, double centre, int split, int i) => i >= 0 ? centre - sorted[split - 1 - i] : double.NegativeInfinity;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RightDistance(ReadOnlySpan<double> sorted, double centre, int split, int j) => j >= 0 ? sorted[split + j] - centre : double.NegativeInfinity;

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
        _start = capacity;
        for (var i = 0; i < count; i++)
        {
            Insert(_ring[(oldest + i) % capacity]);
        }

        _next = next;
    }

    /// <summary>Puts a value into the sorted copy, in front of its equals (the window is not full).</summary>
    private void Insert(double value)
    {
        var sorted = _sorted.AsSpan(_start, capacity);
        var at = _count++;
        while (at > 0 && sorted[at - 1] >= value)
        {
            sorted[at] = sorted[at - 1];
            at--;
        }

        sorted[at] = value;
    }

    /// <summary>Moves the sorted copy back to the middle of its buffer when its start cannot move by <paramref name="step"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MakeRoom(int step)
    {
        var start = _start + step;
        if (start < 0 || start + _count > _sorted.Length)
        {
            _sorted.AsSpan(_start, _count).CopyTo(_sorted.AsSpan(capacity));
            _start = capacity;
        }
    }

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
