using System.Runtime.CompilerServices;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>Maximum of the latest <c>window</c> values in amortised O(1) per addition (monotonic deque on a ring buffer).</summary>
internal sealed class SlidingMaximum(int window)
{
    private readonly long[] _indices = new long[window + 1];
    private readonly double[] _values = new double[window + 1];
    private int _head;
    private int _count;
    private long _index;

    /// <summary>Maximum of the values currently in the window; 0 when empty.</summary>
    public double Maximum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _count > 0 ? _values[_head] : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        // Positions wrap by comparison rather than %: an integer division per step cost more than the rest of it. The
        // deque's ends are kept in locals while it changes.
        var values = _values;
        var indices = _indices;
        var capacity = values.Length;
        var head = _head;
        var count = _count;
        var index = _index;
        while (count > 0)
        {
            var last = head + count - 1;
            if (last >= capacity)
            {
                last -= capacity;
            }

            if (values[last] > value)
            {
                break;
            }

            count--;
        }

        var tail = head + count;
        if (tail >= capacity)
        {
            tail -= capacity;
        }

        indices[tail] = index;
        values[tail] = value;
        count++;
        while (indices[head] <= index - window)
        {
            if (++head == capacity)
            {
                head = 0;
            }

            count--;
        }

        _head = head;
        _count = count;
        _index = index + 1;
    }

    /// <summary>Writes the deque (oldest first) and the running index; positions in the ring are not part of the state.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_index);
        writer.Write(_count);
        for (var i = 0; i < _count; i++)
        {
            var at = (_head + i) % _values.Length;
            writer.Write(_indices[at]);
            writer.Write(_values[at]);
        }
    }

    public void Load(BinaryReader reader)
    {
        _index = reader.ReadInt64();
        _count = reader.ReadInt32();
        StateBinary.Expect(_count >= 0 && _count <= window, "sliding maximum");
        _head = 0;
        for (var i = 0; i < _count; i++)
        {
            _indices[i] = reader.ReadInt64();
            _values[i] = reader.ReadDouble();
        }
    }
}
