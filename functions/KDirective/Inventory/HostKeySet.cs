using System.Numerics;

namespace KDirective.Inventory;

/// <summary>
/// A set of <see cref="HostKey"/> values (or other 64-bit hashes, such as the finding writer's row keys): open addressing over one array of keys, eight bytes a slot, kept at most
/// three-quarters full. A <see cref="HashSet{T}"/> of the same keys takes twenty bytes a slot (hash code, next index,
/// bucket). <see cref="DistinctKeyCounter"/> fills one up to a fixed size before it writes the keys to disk (the
/// fleet's keys too, which ingestion's coverage check looks up there); the finding writer keeps its row keys in one.
/// </summary>
public sealed class HostKeySet
{
    private const int MinimumCapacity = 16;
    private ulong[] _slots;
    private int _shift;
    private bool _hasZero; // 0 marks an empty slot, so the key 0 is kept apart

    public HostKeySet()
        : this(0)
    {
    }

    /// <summary>A set sized for <paramref name="capacity"/> keys, so filling it to that many never grows (copies) its table.</summary>
    public HostKeySet(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        var slots = (int)Math.Max(MinimumCapacity, BitOperations.RoundUpToPowerOf2((uint)(capacity + (capacity / 3) + 1)));
        (_slots, _shift) = (new ulong[slots], 64 - BitOperations.Log2((uint)slots));
    }

    /// <summary>Distinct keys added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a key; false when it was already there.</summary>
    public bool Add(ulong key)
    {
        if (key == 0)
        {
            if (_hasZero)
            {
                return false;
            }

            _hasZero = true;
            Count++;
            return true;
        }

        if (!Insert(_slots, _shift, key))
        {
            return false;
        }

        Count++;
        if (Count > _slots.Length / 4 * 3)
        {
            Grow();
        }

        return true;
    }

    /// <summary>Empties the set and gives back its table.</summary>
    public void Clear()
    {
        (_slots, _shift, _hasZero, Count) = (new ulong[MinimumCapacity], 64 - BitOperations.Log2(MinimumCapacity), false, 0);
    }

    /// <summary>Empties the set and keeps its table, so a set filled again to the same size allocates nothing.</summary>
    public void Reset()
    {
        Array.Clear(_slots);
        (_hasZero, Count) = (false, 0);
    }

    /// <summary>
    /// The keys in ascending order, sorted in place at the front of the table: no copy is made. The set holds no
    /// usable table afterwards; call <see cref="Reset"/> before adding again.
    /// </summary>
    public Span<ulong> TakeSorted()
    {
        var n = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] != 0)
            {
                _slots[n++] = _slots[i];
            }
        }

        if (_hasZero)
        {
            _slots[n++] = 0; // the table is at most three-quarters full, so there is room
        }

        var keys = _slots.AsSpan(0, n);
        keys.Sort();
        return keys;
    }

    public bool Contains(ulong key) => key == 0 ? _hasZero : _slots[Probe(_slots, _shift, key)] == key;

    // Fibonacci hashing: the top bits of the key times 2^64 / golden ratio, good whatever the keys look like.
    private static int Home(ulong key, int shift) => (int)((key * 0x9E3779B97F4A7C15UL) >> shift);

    /// <summary>The slot holding <paramref name="key"/>, or the empty slot where it belongs (linear probing).</summary>
    private static int Probe(ulong[] slots, int shift, ulong key)
    {
        var mask = slots.Length - 1;
        var i = Home(key, shift);
        while (slots[i] != key && slots[i] != 0)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    private static bool Insert(ulong[] slots, int shift, ulong key)
    {
        var i = Probe(slots, shift, key);
        if (slots[i] == key)
        {
            return false;
        }

        slots[i] = key;
        return true;
    }

    private void Grow()
    {
        var slots = new ulong[_slots.Length * 2];
        var shift = _shift - 1;
        foreach (var key in _slots)
        {
            if (key != 0)
            {
                Insert(slots, shift, key);
            }
        }

        (_slots, _shift) = (slots, shift);
    }
}
