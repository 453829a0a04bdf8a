using System.Runtime.CompilerServices;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// The contextual detector's steps remembered: while its memory does not change, a step is a pure function of the
/// previous left group and the new bin (the raw score and the next left group follow from them and the memory alone). Left
/// groups are numbered here as they are met, and each keeps the last step taken from it (the bin, the raw score, the
/// group it led to, and the memory version it was taken at), so a series that keeps repeating what it has learned (a
/// periodic metric, past its first cycles) steps by one comparison instead of matching left sides. A cache: never saved,
/// and dropped whole when it is full.
/// </summary>
internal sealed class ContextTransitions(int capacity)
{
    /// <summary>The widest group numbered: four context ids, 16 bits each (ids are below 65,535).</summary>
    public const int MaxContexts = 4;

    private readonly Dictionary<(ulong Contexts, int Bin), int> _ids = [];
    private Group[] _groups = new Group[64];
    private int _count;

    /// <summary>The group numbered <paramref name="id"/>: its bin and its context ids, 16 bits each plus one, oldest lowest.</summary>
    public (int Bin, ulong Contexts) this[int id] => (_groups[id].Bin, _groups[id].Contexts);

    /// <summary>
    /// The number of the group of <paramref name="bin"/>'s sensor facts and <paramref name="contexts"/> (ascending), numbering
    /// it if it is new; -1 when the numbers ran out and were all dropped (every number given before is void then).
    /// </summary>
    public int Number(int bin, ReadOnlySpan<int> contexts)
    {
        var packed = 0UL;
        for (var i = 0; i < contexts.Length; i++)
        {
            packed |= (ulong)(uint)(contexts[i] + 1) << (16 * i);
        }

        if (_ids.TryGetValue((packed, bin), out var id))
        {
            return id;
        }

        if (_count == capacity)
        {
            _ids.Clear();
            _count = 0;
            return -1;
        }

        if (_count == _groups.Length)
        {
            Array.Resize(ref _groups, Math.Min(capacity, 2 * _count));
        }

        id = _count++;
        _groups[id] = new Group { Bin = bin, Contexts = packed, First = Step.None, Second = Step.None };
        _ids.Add((packed, bin), id);
        return id;
    }

    /// <summary>
    /// Remembers that from group <paramref name="from"/> bin <paramref name="bin"/> scored <paramref name="raw"/> and led to
    /// <paramref name="to"/>, in place of the older of the group's two steps (a group often ends a run of one bin as well as
    /// continuing it, so it is left two ways).
    /// </summary>
    public void Remember(int from, int bin, double raw, int to, int version)
    {
        ref var group = ref _groups[from];
        ref var step = ref group.Older == 0 ? ref group.First : ref group.Second;
        group.Older ^= 1;
        step = new Step { Bin = bin, Raw = raw, Next = to, Version = version };
    }

    /// <summary>The step from group <paramref name="from"/> on <paramref name="bin"/>, when it was taken last at this memory version.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryStep(int from, int bin, int version, out double raw, out int to)
    {
        ref var group = ref _groups[from];
        if (group.First.Bin == bin && group.First.Version == version)
        {
            raw = group.First.Raw;
            to = group.First.Next;
            return true;
        }

        if (group.Second.Bin == bin && group.Second.Version == version)
        {
            raw = group.Second.Raw;
            to = group.Second.Next;
            return true;
        }

        raw = 0;
        to = -1;
        return false;
    }

    private struct Group
    {
        public ulong Contexts;
        public int Bin;
        public int Older;
        public Step First;
        public Step Second;
    }

    private struct Step
    {
        public static readonly Step None = new() { Bin = -1 };
        public int Bin;
        public int Next;
        public int Version;
        public double Raw;
    }
}
