using System.Runtime.CompilerServices;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// The latest <c>capacity</c> values kept both in arrival order and sorted (binary insertion, one block move per
/// update), so the median is O(1) and the median absolute deviation a walk of half the window, with no re-sorting
/// or selection per point.
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
        if (_count == capacity)
        {
            // Any copy of an equal value will do: the sorted copy holds values, not slots.
            var at = LowerBound(_ring[_next]);
            Array.Copy(_sorted, at + 1, _sorted, at, _count - at - 1);
            _count--;
        }

        _ring[_next] = value;
        if (++_next == capacity)
        {
            _next = 0;
        }

        var position = LowerBound(value);
        Array.Copy(_sorted, position, _sorted, position + 1, _count - position);
        _sorted[position] = value;
        _count++;
    }

    public void Clear()
    {
        _count = 0;
        _next = 0;
    }

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
        _next = reader.ReadInt32();
        _count = reader.ReadDoubles(_ring);
        StateBinary.Expect(_next >= 0 && _next < capacity && (_count == capacity || _next == _count), "sorted window");
        _ring.AsSpan(0, _count).CopyTo(_sorted);
        Array.Sort(_sorted, 0, _count);
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
}
