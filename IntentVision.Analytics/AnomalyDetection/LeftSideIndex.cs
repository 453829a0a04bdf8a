using System.Runtime.CompilerServices;

namespace IntentVision.Analytics.AnomalyDetection;

/// <summary>
/// The contextual detector's left sides by the 64-bit hash of their facts: open addressing with linear probing, at most
/// half full. The hashes are already well mixed, so their top bits pick the slot; a lookup is usually one probe, where a
/// <see cref="Dictionary{TKey, TValue}"/> goes through its buckets and entries and was a steady share of every step.
/// </summary>
internal sealed class LeftSideIndex
{
    private ulong[] _hashes = new ulong[64];

    /// <summary>Left side id plus one per slot; 0 marks an empty slot (any hash, 0 included, can be stored).</summary>
    private int[] _ids = new int[64];
    private int _shift = 64 - 6;
    private int _count;

    public int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(ulong hash, out int id)
    {
        var mask = _ids.Length - 1;
        for (var slot = (int)(hash >> _shift); ; slot = (slot + 1) & mask)
        {
            var stored = _ids[slot];
            if (stored == 0)
            {
                id = -1;
                return false;
            }

            if (_hashes[slot] == hash)
            {
                id = stored - 1;
                return true;
            }
        }
    }

    /// <summary>Adds a hash not yet present; throws <see cref="ArgumentException"/> for one that is.</summary>
    public void Add(ulong hash, int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        if (TryGetValue(hash, out _))
        {
            throw new ArgumentException($"left side hash {hash:x16} is already indexed", nameof(hash));
        }

        if (2 * (_count + 1) > _ids.Length)
        {
            Grow();
        }

        Place(hash, id + 1);
        _count++;
    }

    private void Grow()
    {
        var (hashes, ids) = (_hashes, _ids);
        _hashes = new ulong[hashes.Length * 2];
        _ids = new int[ids.Length * 2];
        _shift--;
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] != 0)
            {
                Place(hashes[i], ids[i]);
            }
        }
    }

    private void Place(ulong hash, int storedId)
    {
        var mask = _ids.Length - 1;
        var slot = (int)(hash >> _shift);
        while (_ids[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        _hashes[slot] = hash;
        _ids[slot] = storedId;
    }
}
