using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>Left semi-contexts by a 64-bit hash of their sorted facts (a collision is as unlikely as 1 in 10^10 here).</summary>
    private readonly LeftSideIndex _leftIds = new();


    /// <summary>Every left side's facts, one after another (left i at <c>_factStart[i]</c>, <c>_factStart[i + 1] - _factStart[i]</c> long).</summary>
    private int[] _facts = new int[256];
    private int[] _factStart = new int[65];
    private int _lefts;

    /// <summary>What the step's inner loops read of each left side, together (see <see cref="LeftSide"/>).</summary>
    private LeftSide[] _leftSides = new LeftSide[64];

    /// <summary>The left sides holding each context fact (by context id; <see cref="_leftsWithContextCount"/> of each array are used).</summary>
    private int[]?[] _leftsWithContext = [];
    private int[] _leftsWithContextCount = [];

    /// <summary>
    /// Context ids plus one (0: none) by left side and bin, flat: <c>[left * 2^bits + bin]</c>. A plain array rather than a
    /// dictionary, because looking up the contexts of the selected left sides is the inner loop of every step.
    /// </summary>
    private int[] _contextAt = [];
    private readonly List<int> _contextRight = [];
    private int[] _touched = new int[64];
    private readonly List<int> _sensorOnlyLefts = [];
    private readonly SensorOnlyCache?[] _sensorOnlyCache;

    /// <summary>
    /// The previous step's verdicts on the left sides that hold a context fact: those wholly present (selected) and the
    /// partial overlaps. The sensor-only left sides' verdicts are <see cref="_previousSensor"/>'s, read where they are kept
    /// rather than copied at every step; <see cref="_selectedCount"/> counts the contexts (predictions) of both.
    /// </summary>
    private readonly List<int> _selectedLefts = [];
    private readonly List<long> _partialLefts = [];
    private int _selectedCount;
    private SensorOnlyCache? _previousSensor;

    /// <summary>Contexts added to sensor-only left sides so far: a bin's cached count of its full matches' contexts is current while this is.</summary>
    private int _sensorOnlyContexts;

    /// <summary>The previous step's partial overlaps, all of them, gathered when a new context is learned.</summary>
    private readonly List<long> _candidates = [];

    /// <summary>The candidates' overlaps with the previous group (one per group width), their lengths and hashes: scratch.</summary>
    private int[] _overlaps = [];
    private int[] _overlapLengths = [];
    private ulong[] _overlapHashes = [];

    /// <summary>The smallest ids of the step's active contexts, ascending: only these join the next left group.</summary>
    private readonly int[] _oldestActive;

    /// <summary>The previous step's left group (sorted facts) and the group being built; swapped at the end of a step.</summary>
    private int[] _previousLeft;
    private int[] _leftGroup;
    private int _previousLength = -1;

    /// <summary>
    /// The left side whose facts are exactly the previous group (-1: none), found by the left half: the zero-level
    /// context's left side, which the group's hash would look up.
    /// </summary>
    private int _previousWhole = -1;

    /// <summary>Steps remembered while the memory stands still (null when more contexts are carried than a group number holds).</summary>
    private readonly ContextTransitions? _transitions;

    /// <summary>The previous group's number in <see cref="_transitions"/> (-1: not numbered).</summary>
    private int _state = -1;

    /// <summary>
    /// Whether <see cref="_previousLeft"/> and the verdicts are the previous group's: a remembered step only moves
    /// <see cref="_state"/>, and they are worked out again when a step is next taken in full (or saved).
    /// </summary>
    private bool _materialised = true;

    /// <summary>The memory version (left sides plus contexts, both only ever growing) at the end of the last step, and steps since it last changed.</summary>
    private int _lastVersion = -1;
    private int _quiet;

    /// <summary>Steps the memory must stand still before groups are numbered: a series still learning would only pay for it.</summary>
    private const int QuietSteps = 16;

    /// <summary>Groups numbered at most (a cache of about 70 bytes a group, dropped when full).</summary>
    private const int TransitionCapacity = 4096;

    public ContextualAnomalyDetector(int bits = 3, int maxActiveNeurons = 4, int maxLeftLength = 8, int maxContexts = 60_000, int maxCandidates = 32)
    {
        _maxCandidates = maxCandidates;
        _sensorOnlyCache = new SensorOnlyCache?[1 << bits];
        _bits = bits;
        _maxActiveNeurons = maxActiveNeurons;
        _maxLeftLength = maxLeftLength;
        _maxContexts = maxContexts;
        _oldestActive = new int[maxActiveNeurons];
        _previousLeft = new int[bits + maxActiveNeurons];
        _leftGroup = new int[bits + maxActiveNeurons];
        _transitions = maxActiveNeurons <= ContextTransitions.MaxContexts ? new ContextTransitions(TransitionCapacity) : null;
    }

    public int ContextCount => _contextRight.Count;

    /// <summary>Scores the value in <paramref name="bin"/> (0 .. 2^bits - 1) against the contexts learned so far, then learns from it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Step(int bin)
    {
        var from = _state;
        if (from >= 0)
        {
            if (_transitions!.TryStep(from, bin, _lastVersion, out var remembered, out var next))
            {
                _state = next;
                _materialised = false;
                return remembered;
            }

            if (!_materialised)
            {
                Materialise();
            }
        }

        // Right half: which predictions of the previous step came true, and is the full (past, now) pair new? Of the
        // contexts that came true only the oldest few are carried on, so they are kept sorted as they are found rather
        // than all collected and sorted.
        var active = 0;
        var kept = 0;
        if (_previousSensor is { } sensor)
        {
            MatchPredictions(CollectionsMarshal.AsSpan(_selectedLefts), bin, _oldestActive, ref active, ref kept);
            foreach (var context in SensorPredictions(sensor, bin, ref active))
            {
                Keep(_oldestActive, context, ref kept);
            }
        }

        var fractionActive = _selectedCount > 0 ? (double)active / _selectedCount : 0;
        var novelty = 0.0;
        if (_previousLength >= 0)
        {
            // The left side of the previous group's zero-level context, as its hash finds it. The left half found the one
            // whose facts are the group, which is the one registered under that hash (hashes are registered once); only
            // without it is the hash computed and looked up, in case another left side holds it (a collision).
            var zeroLevel = _previousWhole;
            if (zeroLevel < 0 && !_leftIds.TryGetValue(Hash(_previousLeft.AsSpan(0, _previousLength)), out zeroLevel))
            {
                zeroLevel = -1;
            }

            if (zeroLevel < 0 || _contextAt[(zeroLevel << _bits) + bin] == 0)
            {
                novelty = LearnNewContexts(bin);
            }
        }

        var raw = (1 - fractionActive + novelty) / 2;

        // The new left group: the current sensor facts and the (oldest, best established) active contexts.
        var group = _leftGroup;
        for (var b = 0; b < _bits; b++)
        {
            group[b] = (2 * b) + ((bin >> b) & 1);
        }

        for (var i = 0; i < kept; i++)
        {
            group[_bits + i] = NeuronOffset + _oldestActive[i];
        }

        var groupLength = _bits + kept;
        SelectLeftSides(group.AsSpan(0, groupLength), bin);
        (_previousLeft, _leftGroup) = (group, _previousLeft);
        _previousLength = groupLength;
        Remember(from, bin, raw, kept);
        return raw;
    }

    /// <summary>
    /// After a step taken in full: numbers the new group and remembers the step from the previous one, once the memory has
    /// stood still for <see cref="QuietSteps"/> steps (a step that learned is not remembered: taken again it would not learn).
    /// </summary>
    private void Remember(int from, int bin, double raw, int kept)
    {
        _state = -1;
        if (_transitions is null)
        {
            return;
        }

        var version = _lefts + _contextRight.Count;
        if (version != _lastVersion)
        {
            _lastVersion = version;
            _quiet = 0;
            return;
        }

        if (_quiet < QuietSteps)
        {
            _quiet++;
            return;
        }

        var to = _transitions.Number(bin, _oldestActive.AsSpan(0, kept));
        if (to < 0)
        {
            // The numbers ran out (a series whose groups seldom repeat): numbering waits a while before it starts again.
            _quiet = -TransitionCapacity;
            return;
        }

        if (from >= 0)
        {
            _transitions.Remember(from, bin, raw, to, version);
        }

        _state = to;
    }

    /// <summary>Rebuilds the previous group from its number, and its verdicts from the memory (which has not changed since).</summary>
    private void Materialise()
    {
        var (bin, contexts) = _transitions![_state];
        var group = _previousLeft;
        for (var b = 0; b < _bits; b++)
        {
            group[b] = (2 * b) + ((bin >> b) & 1);
        }

        var length = _bits;
        for (; contexts != 0; contexts >>= 16)
        {
            group[length++] = NeuronOffset + (int)(contexts & 0xFFFF) - 1;
        }

        _previousLength = length;
        SelectLeftSides(group.AsSpan(0, length), bin);
        _materialised = true;
    }

    /// <summary>
    /// Counts the contexts of <paramref name="lefts"/> that predicted <paramref name="bin"/> (into <paramref name="active"/>)
    /// and keeps the smallest ids of them, ascending, in <paramref name="oldest"/> (<paramref name="kept"/> of them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MatchPredictions(ReadOnlySpan<int> lefts, int bin, Span<int> oldest, ref int active, ref int kept)
    {
        var contextAt = _contextAt;
        var bits = _bits;
        foreach (var left in lefts)
        {
            var context = contextAt[(left << bits) + bin] - 1;
            if (context >= 0)
            {
                active++;
                Keep(oldest, context, ref kept);
            }
        }
    }

    /// <summary>Adds a context id to the ascending smallest ids kept in <paramref name="oldest"/> (dropping the largest when full).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(Span<int> oldest, int context, ref int kept)
    {
        if (kept < oldest.Length)
        {
            kept++;
        }
        else if (context >= oldest[^1])
        {
            return;
        }

        var at = kept - 1;
        while (at > 0 && oldest[at - 1] > context)
        {
            oldest[at] = oldest[at - 1];
            at--;
        }

        oldest[at] = context;
    }

    /// <summary>
    /// What the sensor-only left sides wholly present at the previous step predicted for <paramref name="bin"/>: how many
    /// of their contexts came true (added to <paramref name="active"/>), and the smallest ids of those. It depends on the two bins alone until a sensor-only
    /// left side or context is added, so it is worked out once per pair of bins in between.
    /// </summary>
    private ReadOnlySpan<int> SensorPredictions(SensorOnlyCache sensor, int bin, ref int active)
    {
        var k = _maxActiveNeurons;
        var oldest = sensor.PredictedOldest.AsSpan(bin * k, k);
        if (sensor.Predicted[bin] < 0)
        {
            int predicted = 0, kept = 0;
            MatchPredictions(CollectionsMarshal.AsSpan(sensor.Full), bin, oldest, ref predicted, ref kept);
            sensor.Predicted[bin] = predicted;
            sensor.PredictedKept[bin] = kept;
        }

        active += sensor.Predicted[bin];
        return oldest[..sensor.PredictedKept[bin]];
    }

    /// <summary>
    /// Left half: every left semi-context wholly contained in the group predicts its contexts' right sides; the partial
    /// overlaps are candidate left sides for contexts learned at the next step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SelectLeftSides(ReadOnlySpan<int> group, int bin)
    {

        _selectedLefts.Clear();
        _selectedCount = 0;
        _partialLefts.Clear();
        _previousWhole = -1;
        var sides = _leftSides;
        var touched = _touched;
        var touchedCount = 0;
        foreach (var fact in group[_bits..])
        {
            var context = fact - NeuronOffset;
            if (context >= _leftsWithContext.Length || _leftsWithContext[context] is not { } lefts)
            {
                continue;
            }

            foreach (var left in lefts.AsSpan(0, _leftsWithContextCount[context]))
            {
                if (sides[left].Hits++ == 0)
                {
                    touched[touchedCount++] = left;
                }
            }
        }

        foreach (var left in touched.AsSpan(0, touchedCount))
        {
            ref var side = ref sides[left];
            var hits = side.Hits + SensorHits(side.Shape, bin);
            side.Hits = 0;
            var length = side.Shape >>> 16;
            if (hits == length)
            {
                _selectedLefts.Add(left);
                _selectedCount += side.Contexts;
                if (length == group.Length)
                {
                    _previousWhole = left;
                }
            }
            else if (hits >= 2 && hits <= _maxLeftLength)
            {
                // Its overlap with the group is only materialised at the next step, if a context is learned then.
                _partialLefts.Add(((long)hits << 32) | (uint)left);
            }
        }

        // Left sides made of sensor facts only are few (at most 3^bits) and depend on the bin alone: their verdicts
        // are kept per bin and recomputed only when such a left side has been added.
        var sensor = SensorOnlyVerdicts(bin);
        _selectedCount += sensor.FullContexts;
        _previousSensor = sensor;
        if (group.Length == _bits)
        {
            _previousWhole = sensor.Whole;
        }
    }

    /// <summary>
    /// Writes the learned memory (every left side's facts and every context as its left side and right bin) and the
    /// previous step's verdicts. Indexes, hashes and caches are not written: <see cref="Load"/> rebuilds them in id
    /// order, which is the order they were built in, so a restored detector continues exactly as the original.
    /// </summary>
    public void Save(BinaryWriter writer)
    {
        if (!_materialised)
        {
            Materialise();
        }

        writer.Write(_bits);
        writer.Write(_lefts);
        for (var left = 0; left < _lefts; left++)
        {
            writer.WriteInts(FactsOf(left));
        }

        var leftOf = new int[_contextRight.Count];
        for (var at = 0; at < _lefts << _bits; at++)
        {
            if (_contextAt[at] > 0)
            {
                leftOf[_contextAt[at] - 1] = at >> _bits;
            }
        }

        writer.WriteInts(leftOf);
        writer.WriteInts(CollectionsMarshal.AsSpan(_contextRight));
        writer.WriteInts(PreviousSelected());
        writer.Write(_selectedCount);
        writer.WriteLongs(PreviousPartial());
        writer.Write(_previousLength >= 0);
        if (_previousLength >= 0)
        {
            writer.WriteInts(_previousLeft.AsSpan(0, _previousLength));
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote into a detector made with the same settings and never stepped.</summary>
    public void Load(BinaryReader reader)
    {
        StateBinary.Expect(_lefts == 0 && _contextRight.Count == 0, "a fresh contextual detector");
        StateBinary.Expect(reader.ReadInt32() == _bits, "context bits");
        var lefts = reader.ReadInt32();
        StateBinary.Expect(lefts >= 0 && lefts <= _maxContexts, "left side count");
        for (var i = 0; i < lefts; i++)
        {
            var facts = reader.ReadIntArray();
            StateBinary.Expect(facts.Length > 0 && IsLeftSide(facts), "a left side");
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
            _leftSides[leftOf[id]].Contexts++;
        }

        var selected = reader.ReadIntArray();
        var selectedCount = reader.ReadInt32();
        var partial = reader.ReadLongArray();
        if (reader.ReadBoolean())
        {
            _previousLength = reader.ReadInts(_previousLeft);
            var group = _previousLeft.AsSpan(0, _previousLength);
            StateBinary.Expect(_previousLength >= _bits && IsLeftSide(group), "the previous left group");

            // The verdicts follow from the group and the memory: they are worked out again, and must be the ones written.
            SelectLeftSides(group, BinOf(group));
        }

        StateBinary.Expect(selected.AsSpan().SequenceEqual(PreviousSelected()) && selectedCount == _selectedCount && partial.AsSpan().SequenceEqual(PreviousPartial()), "the previous step's verdicts");
    }

    /// <summary>The previous step's wholly present left sides, in the order they were found (the snapshot's form).</summary>
    private int[] PreviousSelected() => [.. _selectedLefts, .. _previousSensor?.Full ?? []];

    /// <summary>The previous step's partial overlaps, in the order they were found (the snapshot's form).</summary>
    private long[] PreviousPartial() => [.. _partialLefts, .. _previousSensor?.Partial ?? []];

    /// <summary>The bin whose digits a left group's sensor facts are.</summary>
    private int BinOf(ReadOnlySpan<int> group)
    {
        var bin = 0;
        foreach (var fact in group[.._bits])
        {
            bin |= (fact & 1) << (fact >> 1);
        }

        return bin;
    }

    /// <summary>
    /// A new (past, now) pair: contexts are learned for the largest overlaps of the previous step's partial left sides
    /// with the previous group (the most specific memories; the newest among equals), at most MaxCandidates of them, and
    /// for the whole previous group (the zero-level context). Returns the novelty: the fraction of candidates that were new.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double LearnNewContexts(int bin)
    {
        var previous = _previousLeft.AsSpan(0, _previousLength);
        _candidates.Clear();
        _candidates.AddRange(CollectionsMarshal.AsSpan(_partialLefts));
        _candidates.AddRange(CollectionsMarshal.AsSpan(_previousSensor!.Partial));
        var partial = CollectionsMarshal.AsSpan(_candidates);
        if (partial.Length > _maxCandidates)
        {
            partial.Sort();
        }

        var count = Math.Min(partial.Length, _maxCandidates);

        // The candidates' overlaps with the previous group and their hashes are all worked out first: they do not depend on
        // what is learned, and hashing four at a time overlaps the hashes' long serial computations. Each has room for the
        // longest group (a left side is never longer).
        var width = _previousLeft.Length;
        if (_overlapLengths.Length < count)
        {
            _overlapLengths = new int[count];
            _overlapHashes = new ulong[count];
        }

        if (_overlaps.Length < count * width)
        {
            _overlaps = new int[count * width];
        }

        var previousBin = BinOf(previous);
        var previousContexts = previous[_bits..];
        for (var p = 0; p < count; p++)
        {
            var left = (int)(partial[partial.Length - 1 - p] & 0xFFFFFFFF);
            _overlapLengths[p] = Overlap(FactsOf(left), previousBin, previousContexts, _overlaps.AsSpan(p * width, width));
        }

        HashOverlaps(count, width);
        var previousHash = Hash(previous);
        Span<ulong> seen = stackalloc ulong[count + 1];
        var candidates = 0;
        var created = 0;
        for (var p = 0; p <= count; p++)
        {
            ReadOnlySpan<int> left = p < count ? _overlaps.AsSpan(p * width, _overlapLengths[p]) : previous;
            var hash = p < count ? _overlapHashes[p] : previousHash;
            if (seen[..candidates].Contains(hash))
            {
                continue;
            }

            seen[candidates++] = hash;
            if (AddContext(left, hash, bin))
            {
                created++;
            }
        }

        return candidates > 0 ? (double)created / candidates : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SensorOnlyCache SensorOnlyVerdicts(int bin)
    {
        var cache = _sensorOnlyCache[bin] ??= new SensorOnlyCache(1 << _bits, _maxActiveNeurons);
        if (cache.Version != _sensorOnlyLefts.Count)
        {
            cache.Version = _sensorOnlyLefts.Count;
            cache.ContextsVersion = -1;
            cache.Full.Clear();
            cache.Partial.Clear();
            cache.Whole = -1;
            foreach (var left in _sensorOnlyLefts)
            {
                var shape = _leftSides[left].Shape;
                var hits = SensorHits(shape, bin);
                if (hits == shape >>> 16)
                {
                    cache.Full.Add(left);
                    if (hits == _bits)
                    {
                        cache.Whole = left;
                    }
                }
                else if (hits >= 2 && hits <= _maxLeftLength)
                {
                    cache.Partial.Add(((long)hits << 32) | (uint)left);
                }
            }
        }

        if (cache.ContextsVersion != _sensorOnlyContexts)
        {
            cache.ContextsVersion = _sensorOnlyContexts;
            Array.Fill(cache.Predicted, -1);
            cache.FullContexts = 0;
            foreach (var left in cache.Full)
            {
                cache.FullContexts += _leftSides[left].Contexts;
            }
        }

        return cache;
    }

    /// <summary>How many of a left side's sensor facts the digits of <paramref name="bin"/> satisfy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SensorHits(int shape, int bin) => BitOperations.PopCount((uint)(~(bin ^ (shape >> 8)) & shape & 0xFF));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<int> FactsOf(int left) => _facts.AsSpan(_factStart[left], _factStart[left + 1] - _factStart[left]);

    /// <summary>
    /// Writes the facts of <paramref name="facts"/> that are in a group (whose sensor facts are <paramref name="groupBin"/>'s
    /// digits and whose context facts are <paramref name="groupContexts"/>) to <paramref name="common"/>, in order; returns
    /// how many. Every fact is written and only the ones in the group are kept, so the outcome of each test is not branched on.
    /// </summary>
    private static int Overlap(ReadOnlySpan<int> facts, int groupBin, ReadOnlySpan<int> groupContexts, Span<int> common)
    {
        var k = 0;
        foreach (var fact in facts)
        {
            bool present;
            if (fact < NeuronOffset)
            {
                present = ((groupBin >> (fact >> 1)) & 1) == (fact & 1);
            }
            else
            {
                present = false;
                foreach (var context in groupContexts)
                {
                    present |= context == fact;
                }
            }

            common[k] = fact;
            k += present ? 1 : 0;
        }

        return k;
    }

    /// <summary>
    /// <see cref="Hash"/> of the first <paramref name="count"/> overlaps (<see cref="_overlaps"/>, one per
    /// <paramref name="width"/>), four at a time: the four serial chains of multiplications run side by side.
    /// </summary>
    private void HashOverlaps(int count, int width)
    {
        var facts = _overlaps;
        var lengths = _overlapLengths;
        var p = 0;
        for (; p + 4 <= count; p += 4)
        {
            var (l0, l1, l2, l3) = (lengths[p], lengths[p + 1], lengths[p + 2], lengths[p + 3]);
            var (h0, h1, h2, h3) = (Golden ^ (ulong)l0, Golden ^ (ulong)l1, Golden ^ (ulong)l2, Golden ^ (ulong)l3);
            var longest = Math.Max(Math.Max(l0, l1), Math.Max(l2, l3));
            var at = p * width;
            for (var j = 0; j < longest; j++, at++)
            {
                h0 = j < l0 ? Mix(h0, facts[at]) : h0;
                h1 = j < l1 ? Mix(h1, facts[at + width]) : h1;
                h2 = j < l2 ? Mix(h2, facts[at + (2 * width)]) : h2;
                h3 = j < l3 ? Mix(h3, facts[at + (3 * width)]) : h3;
            }

            (_overlapHashes[p], _overlapHashes[p + 1], _overlapHashes[p + 2], _overlapHashes[p + 3]) = (h0, h1, h2, h3);
        }

        for (; p < count; p++)
        {
            _overlapHashes[p] = Hash(facts.AsSpan(p * width, lengths[p]));
        }
    }

    private static ulong Hash(ReadOnlySpan<int> facts)
    {
        var hash = Golden ^ (ulong)facts.Length;
        foreach (var fact in facts)
        {
            hash = Mix(hash, fact);
        }

        return hash;
    }

    /// <summary>splitmix64's finaliser over the running state and the next fact: order-sensitive (facts are always sorted).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong hash, int fact)
    {
        hash += (ulong)(uint)fact + Golden;
        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }

    /// <summary>Facts a left side can hold: sorted and distinct, sensor facts of these bits (one per digit), then context ids.</summary>
    private bool IsLeftSide(ReadOnlySpan<int> facts)
    {
        var digits = 0;
        for (var i = 0; i < facts.Length; i++)
        {
            var fact = facts[i];
            if ((i > 0 && fact <= facts[i - 1]) || fact < 0 || (fact >= 2 * _bits && fact < NeuronOffset) || fact - NeuronOffset >= _maxContexts)
            {
                return false;
            }

            if (fact < NeuronOffset)
            {
                var digit = 1 << (fact >> 1);
                if ((digits & digit) != 0)
                {
                    return false;
                }

                digits |= digit;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AddContext(ReadOnlySpan<int> leftFacts, ulong hash, int right)
    {
        if (_contextRight.Count >= _maxContexts)
        {
            return false;
        }

        if (!_leftIds.TryGetValue(hash, out var leftId))
        {
            leftId = RegisterLeft(leftFacts, hash);
        }

        var at = (leftId << _bits) + right;
        if (_contextAt[at] != 0)
        {
            return false;
        }

        var id = _contextRight.Count;
        _contextAt[at] = id + 1;
        _contextRight.Add(right);
        _leftSides[leftId].Contexts++;
        if (FactsOf(leftId)[^1] < NeuronOffset)
        {
            _sensorOnlyContexts++;
        }

        return true;
    }

    /// <summary>Adds a left side with no contexts yet, and indexes it by its context facts (or as sensor-only).</summary>
    private int RegisterLeft(ReadOnlySpan<int> left, ulong hash)
    {
        var leftId = _lefts++;
        _leftIds.Add(hash, leftId);
        if (_factStart.Length < _lefts + 1)
        {
            Array.Resize(ref _factStart, _factStart.Length * 2);
        }

        var start = _factStart[leftId];
        if (_facts.Length < start + left.Length)
        {
            Array.Resize(ref _facts, Math.Max(_facts.Length * 2, start + left.Length));
        }

        left.CopyTo(_facts.AsSpan(start));
        _factStart[leftId + 1] = start + left.Length;
        if (_leftSides.Length <= leftId)
        {
            var capacity = Math.Max(_leftSides.Length * 2, leftId + 1);
            Array.Resize(ref _leftSides, capacity);
            Array.Resize(ref _touched, capacity);
        }

        if (_contextAt.Length < (leftId + 1) << _bits)
        {
            Array.Resize(ref _contextAt, Math.Max(_contextAt.Length * 2, (leftId + 1) << _bits));
        }

        var mask = 0;
        var want = 0;
        foreach (var fact in left)
        {
            if (fact < NeuronOffset)
            {
                mask |= 1 << (fact >> 1);
                want |= (fact & 1) << (fact >> 1);
            }
        }

        _leftSides[leftId].Shape = mask | (want << 8) | (left.Length << 16);
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

            var context = fact - NeuronOffset;
            if (_leftsWithContext.Length <= context)
            {
                var capacity = Math.Max(_leftsWithContext.Length * 2, context + 1);
                Array.Resize(ref _leftsWithContext, capacity);
                Array.Resize(ref _leftsWithContextCount, capacity);
            }

            ref var lefts = ref _leftsWithContext[context];
            ref var count = ref _leftsWithContextCount[context];
            if (lefts is null || lefts.Length == count)
            {
                Array.Resize(ref lefts, Math.Max(4, 2 * count));
            }

            lefts[count++] = leftId;
        }

        return leftId;
    }

    /// <summary>
    /// Per left side: how many of the group's context facts it holds (counted during a left half, 0 otherwise); its sensor
    /// facts as a bit mask of the bin digits they name (bits 0-7) and the digits they want (bits 8-15), and its fact count
    /// (from bit 16) — a left side holds at most one fact per digit, so the sensor facts a bin satisfies are a popcount and
    /// the facts themselves are not read; and how many contexts it holds.
    /// </summary>
    private struct LeftSide
    {
        public int Hits;
        public int Shape;
        public int Contexts;
    }

    /// <summary>One bin's verdicts on the sensor-only left sides, as of a count of them and of their contexts.</summary>
    private sealed class SensorOnlyCache(int bins, int maxActive)
    {
        public int Version = -1;
        public int ContextsVersion = -1;
        public int FullContexts;

        /// <summary>The full match made of all the bin's digits (-1: none).</summary>
        public int Whole = -1;
        public readonly List<int> Full = [];
        public readonly List<long> Partial = [];

        /// <summary>
        /// Per bin that may follow: how many of the full matches' contexts predict it (-1: not worked out since the last
        /// change), and the smallest ids of those, ascending (<see cref="PredictedKept"/> of the <c>maxActive</c> at
        /// <c>bin * maxActive</c>).
        /// </summary>
        public readonly int[] Predicted = new int[bins];
        public readonly int[] PredictedKept = new int[bins];
        public readonly int[] PredictedOldest = new int[bins * maxActive];
    }
}
