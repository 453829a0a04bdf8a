using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IntentVision.Analytics.Numerics;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// A contextual anomaly detector after the idea of CAD OSE (Smirnov, the Contextual Anomaly Detector, open-source
/// edition), written from its description. Each value is quantised into one of <c>2^bits</c> bins of the value range
/// learned so far; the bin's binary digits become a set of sensor "facts" (one fact per digit position and digit).
/// A context pairs a set of left facts (the previous step's sensor facts plus the ids of the contexts that were
/// active then, i.e. a compressed memory of the recent past) with a right side (the sensor facts that followed).
/// At every step the contexts whose left facts are all present predict their right side; the raw anomaly is the
/// fraction of those predictions the new value fails, averaged with the fraction of the candidate contexts of this
/// step that had never been seen (novelty). Every structure is updated incrementally; nothing looks ahead.
/// </summary>
internal sealed class ContextualAnomalyDetector
{
    /// <summary>Context ids become left facts offset by this, so they never collide with sensor facts.</summary>
    private const int NeuronOffset = 1 << 16;

    private readonly int _bits;
    private readonly int _maxActiveNeurons;
    private readonly int _maxLeftLength;
    private readonly int _maxContexts;
    private readonly int _maxCandidates;

    /// <summary>Left semi-contexts by a 64-bit hash of their sorted facts (a collision is as unlikely as 1 in 10^10 here).</summary>
    private readonly Dictionary<ulong, int> _leftIds = [];
    private readonly List<int[]> _leftFacts = [];
    private readonly List<int> _contextsOfLeft = [];
    private readonly List<List<int>?> _leftsWithFact = [];

    /// <summary>
    /// Context ids plus one (0: none) by left side and bin, flat: <c>[left * 2^bits + bin]</c>. A plain array rather than a
    /// dictionary, because looking up the contexts of the selected left sides is the inner loop of every step.
    /// </summary>
    private int[] _contextAt = [];
    private readonly List<int> _contextRight = [];
    private int[] _hits = new int[64];
    private readonly List<int> _touched = [];
    private readonly List<int> _sensorOnlyLefts = [];
    private readonly SensorOnlyCache?[] _sensorOnlyCache;

    /// <summary>Left sides wholly present at the previous step, and how many contexts (predictions) they hold.</summary>
    private readonly List<int> _selectedLefts = [];
    private int _selectedCount;
    private readonly List<long> _partialLefts = [];
    private readonly HashSet<ulong> _potentialSet = [];
    private readonly List<int> _active = [];
    private readonly List<int> _leftGroup = [];
    private int[]? _previousLeft;
    private ulong _previousLeftHash;

    public ContextualAnomalyDetector(int bits = 3, int maxActiveNeurons = 4, int maxLeftLength = 8, int maxContexts = 60_000, int maxCandidates = 32)
    {
        _maxCandidates = maxCandidates;
        _sensorOnlyCache = new SensorOnlyCache?[1 << bits];
        _bits = bits;
        _maxActiveNeurons = maxActiveNeurons;
        _maxLeftLength = maxLeftLength;
        _maxContexts = maxContexts;
    }

    public int ContextCount => _contextRight.Count;

    /// <summary>Scores the value in <paramref name="bin"/> (0 .. 2^bits - 1) against the contexts learned so far, then learns from it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Step(int bin)
    {
        // Right half: which predictions of the previous step came true, and is the full (past, now) pair new?
        _active.Clear();
        foreach (var left in _selectedLefts)
        {
            var context = _contextAt[(left << _bits) + bin] - 1;
            if (context >= 0)
            {
                _active.Add(context);
            }
        }

        var fractionActive = _selectedCount > 0 ? (double)_active.Count / _selectedCount : 0;
        var novelty = 0.0;
        if (_previousLeft is not null)
        {
            var isNew = !_leftIds.TryGetValue(_previousLeftHash, out var zeroLevel) || _contextAt[(zeroLevel << _bits) + bin] == 0;
            if (isNew)
            {
                _potentialSet.Clear();
                var candidates = 0;
                var created = 0;

                // The largest overlaps first (the most specific memories; the newest among equals), at most
                // MaxCandidates of them, then the whole previous group (the zero-level context).
                var partial = CollectionsMarshal.AsSpan(_partialLefts);
                if (partial.Length > _maxCandidates)
                {
                    partial.Sort();
                }

                var count = Math.Min(partial.Length, _maxCandidates);
                Span<int> overlap = stackalloc int[_previousLeft.Length];
                for (var p = 0; p <= count; p++)
                {
                    ReadOnlySpan<int> left = p < count
                        ? overlap[..Overlap(_leftFacts[(int)(partial[partial.Length - 1 - p] & 0xFFFFFFFF)], _previousLeft, overlap)]
                        : _previousLeft;
                    var hash = p < count ? Hash(left) : _previousLeftHash;
                    if (!_potentialSet.Add(hash))
                    {
                        continue;
                    }

                    candidates++;
                    if (AddContext(left, hash, bin))
                    {
                        created++;
                    }
                }

                novelty = candidates > 0 ? (double)created / candidates : 0;
            }
        }

        var raw = (1 - fractionActive + novelty) / 2;

        // The new left group: the current sensor facts and the (oldest, best established) active contexts.
        _leftGroup.Clear();
        for (var b = 0; b < _bits; b++)
        {
            _leftGroup.Add((2 * b) + ((bin >> b) & 1));
        }

        InsertionSort.Sort(CollectionsMarshal.AsSpan(_active));
        for (var i = 0; i < _active.Count && i < _maxActiveNeurons; i++)
        {
            _leftGroup.Add(NeuronOffset + _active[i]);
        }

        var leftGroup = _leftGroup.ToArray();

        // Left half: every left semi-context wholly contained in the group predicts its contexts' right sides; the
        // partial overlaps are candidate left sides for contexts learned at the next step.
        _selectedLefts.Clear();
        _selectedCount = 0;
        _partialLefts.Clear();
        _touched.Clear();
        var sensorCount = _bits;
        for (var i = sensorCount; i < leftGroup.Length; i++)
        {
            var index = IndexOfFact(leftGroup[i]);
            if (index >= _leftsWithFact.Count || _leftsWithFact[index] is not { } lefts)
            {
                continue;
            }

            foreach (var left in lefts)
            {
                if (_hits[left]++ == 0)
                {
                    _touched.Add(left);
                }
            }
        }

        foreach (var left in _touched)
        {
            var facts = _leftFacts[left];
            var hits = _hits[left];
            _hits[left] = 0;
            for (var i = 0; i < facts.Length && facts[i] < NeuronOffset; i++)
            {
                if (((bin >> (facts[i] >> 1)) & 1) == (facts[i] & 1))
                {
                    hits++;
                }
            }

            if (hits == facts.Length)
            {
                _selectedLefts.Add(left);
                _selectedCount += _contextsOfLeft[left];
            }
            else if (hits >= 2 && hits <= _maxLeftLength)
            {
                // Its overlap with the group is only materialised at the next step, if a context is learned then.
                _partialLefts.Add(((long)hits << 32) | (uint)left);
            }
        }

        // Left sides made of sensor facts only are few (at most 3^bits) and depend on the bin alone: their verdicts
        // are kept per bin and recomputed only when such a left side has been added.
        var cache = SensorOnlyVerdicts(bin);
        foreach (var left in cache.Full)
        {
            _selectedLefts.Add(left);
            _selectedCount += _contextsOfLeft[left];
        }

        _partialLefts.AddRange(cache.Partial);
        _previousLeft = leftGroup;
        _previousLeftHash = Hash(leftGroup);
        return raw;
    }

    /// <summary>
    /// Writes the learned memory (every left side's facts and every context as its left side and right bin) and the
    /// previous step's verdicts. Indexes, hashes and caches are not written: <see cref="Load"/> rebuilds them in id
    /// order, which is the order they were built in, so a restored detector continues exactly as the original.
    /// </summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_bits);
        writer.Write(_leftFacts.Count);
        foreach (var facts in _leftFacts)
        {
            writer.WriteInts(facts);
        }

        var leftOf = new int[_contextRight.Count];
        for (var at = 0; at < _leftFacts.Count << _bits; at++)
        {
            if (_contextAt[at] > 0)
            {
                leftOf[_contextAt[at] - 1] = at >> _bits;
            }
        }

        writer.WriteInts(leftOf);
        writer.WriteInts(CollectionsMarshal.AsSpan(_contextRight));
        writer.WriteInts(CollectionsMarshal.AsSpan(_selectedLefts));
        writer.Write(_selectedCount);
        writer.WriteLongs(CollectionsMarshal.AsSpan(_partialLefts));
        writer.Write(_previousLeft is not null);
        if (_previousLeft is not null)
        {
            writer.WriteInts(_previousLeft);
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote into a detector made with the same settings and never stepped.</summary>
    public void Load(BinaryReader reader)
    {
        StateBinary.Expect(_leftFacts.Count == 0 && _contextRight.Count == 0, "a fresh contextual detector");
        StateBinary.Expect(reader.ReadInt32() == _bits, "context bits");
        var lefts = reader.ReadInt32();
        StateBinary.Expect(lefts >= 0 && lefts <= _maxContexts, "left side count");
        for (var i = 0; i < lefts; i++)
        {
            var facts = reader.ReadIntArray();
            StateBinary.Expect(facts.Length > 0, "an empty left side");
            RegisterLeft(facts, Hash(facts));
        }

        var leftOf = reader.ReadIntArray();
        var right = reader.ReadIntArray();
        StateBinary.Expect(leftOf.Length == right.Length && right.Length <= _maxContexts, "context count");
        for (var id = 0; id < right.Length; id++)
        {
            StateBinary.Expect(leftOf[id] >= 0 && leftOf[id] < lefts && right[id] >= 0 && right[id] < 1 << _bits, "a context's sides");
            _contextAt[(leftOf[id] << _bits) + right[id]] = id + 1;
            _contextRight.Add(right[id]);
            _contextsOfLeft[leftOf[id]]++;
        }

        _selectedLefts.AddRange(reader.ReadIntArray());
        _selectedCount = reader.ReadInt32();
        _partialLefts.AddRange(reader.ReadLongArray());
        if (reader.ReadBoolean())
        {
            _previousLeft = reader.ReadIntArray();
            _previousLeftHash = Hash(_previousLeft);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SensorOnlyCache SensorOnlyVerdicts(int bin)
    {
        var cache = _sensorOnlyCache[bin] ??= new SensorOnlyCache();
        if (cache.Version == _sensorOnlyLefts.Count)
        {
            return cache;
        }

        cache.Version = _sensorOnlyLefts.Count;
        cache.Full.Clear();
        cache.Partial.Clear();
        foreach (var left in _sensorOnlyLefts)
        {
            var facts = _leftFacts[left];
            var hits = 0;
            foreach (var fact in facts)
            {
                if (((bin >> (fact >> 1)) & 1) == (fact & 1))
                {
                    hits++;
                }
            }

            if (hits == facts.Length)
            {
                cache.Full.Add(left);
            }
            else if (hits >= 2 && hits <= _maxLeftLength)
            {
                cache.Partial.Add(((long)hits << 32) | (uint)left);
            }
        }

        return cache;
    }

    /// <summary>Writes the facts of <paramref name="facts"/> that are in <paramref name="group"/> (both sorted) to <paramref name="common"/>; returns how many.</summary>
    private static int Overlap(int[] facts, int[] group, Span<int> common)
    {
        int i = 0, j = 0, k = 0;
        while (i < facts.Length && j < group.Length)
        {
            if (facts[i] == group[j])
            {
                common[k++] = facts[i];
                i++;
                j++;
            }
            else if (facts[i] < group[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return k;
    }

    private static ulong Hash(ReadOnlySpan<int> facts)
    {
        var hash = 0x9E3779B97F4A7C15UL ^ (ulong)facts.Length;
        foreach (var fact in facts)
        {
            // splitmix64 finaliser over the running state: order-sensitive, and the facts are always sorted.
            hash += (ulong)(uint)fact + 0x9E3779B97F4A7C15UL;
            hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
            hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
            hash ^= hash >> 31;
        }

        return hash;
    }

    private int IndexOfFact(int fact) => fact >= NeuronOffset ? (2 * _bits) + fact - NeuronOffset : fact;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AddContext(ReadOnlySpan<int> leftFacts, ulong hash, int right)
    {
        if (_contextRight.Count >= _maxContexts)
        {
            return false;
        }

        if (!_leftIds.TryGetValue(hash, out var leftId))
        {
            leftId = RegisterLeft(leftFacts.ToArray(), hash);
        }

        var at = (leftId << _bits) + right;
        if (_contextAt[at] != 0)
        {
            return false;
        }

        var id = _contextRight.Count;
        _contextAt[at] = id + 1;
        _contextRight.Add(right);
        _contextsOfLeft[leftId]++;
        return true;
    }

    /// <summary>Adds a left side with no contexts yet, and indexes it by its context facts (or as sensor-only).</summary>
    private int RegisterLeft(int[] left, ulong hash)
    {
        var leftId = _leftFacts.Count;
        _leftIds.Add(hash, leftId);
        _leftFacts.Add(left);
        _contextsOfLeft.Add(0);
        if (_hits.Length <= leftId)
        {
            Array.Resize(ref _hits, Math.Max(_hits.Length * 2, leftId + 1));
        }

        if (_contextAt.Length < (leftId + 1) << _bits)
        {
            Array.Resize(ref _contextAt, Math.Max(_contextAt.Length * 2, (leftId + 1) << _bits));
        }

        if (left[^1] < NeuronOffset)
        {
            _sensorOnlyLefts.Add(leftId);
        }

        foreach (var fact in left)
        {
            if (fact < NeuronOffset)
            {
                continue;
            }

            var index = IndexOfFact(fact);
            while (_leftsWithFact.Count <= index)
            {
                _leftsWithFact.Add(null);
            }

            (_leftsWithFact[index] ??= []).Add(leftId);
        }

        return leftId;
    }

    private sealed class SensorOnlyCache
    {
        public int Version = -1;
        public readonly List<int> Full = [];
        public readonly List<long> Partial = [];
    }
}
