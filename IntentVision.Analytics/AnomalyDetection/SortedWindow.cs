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
            var old = _ring[_next];
            var at = Array.BinarySearch(_sorted, 0, _count, old);
            Array.Copy(_sorted, at + 1, _sorted, at, _count - at - 1);
            _count--;
        }

        _ring[_next] = value;
        if (++_next == capacity)
        {
            _next = 0;
        }

        var position = Array.BinarySearch(_sorted, 0, _count, value);
        if (position < 0)
        {
            position = ~position;
        }

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

    /// <summary>Median of |x - <paramref name="centre"/>|, unscaled: merges the distances on both sides of the centre outwards.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double MedianAbsoluteDeviation(double centre)
    {
        var n = _count;
        if (n == 0)
        {
            return double.NaN;
        }

        var right = LowerBound(centre);
        var left = right - 1;
        var upperRank = n / 2;
        double previous = 0, current = 0;
        for (var k = 0; k <= upperRank; k++)
        {
            previous = current;
            if (left >= 0 && (right >= n || centre - _sorted[left] <= _sorted[right] - centre))
            {
                current = centre - _sorted[left--];
            }
            else
            {
                current = _sorted[right++] - centre;
            }
        }

        return (n & 1) == 1 ? current : (previous + current) / 2;
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
