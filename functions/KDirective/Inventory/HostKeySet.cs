using System.Numerics;

namespace KDirective.Inventory;

/// <summary>
/// A set of <see cref="HostKey"/> values: open addressing over one array of keys, eight bytes a slot, kept at most
/// three-quarters full. A <see cref="HashSet{T}"/> of the same keys takes twenty bytes a slot (hash code, next index,
/// bucket), and the summary holds three kinds of these sets, so at 10M rows (250,000 hosts) this halves what grows
/// with the file.
/// </summary>
public sealed class HostKeySet
{
    private const int MinimumCapacity = 16;
    private ulong[] _slots = new ulong[MinimumCapacity];
    private int _shift = 64 - BitOperations.Log2(MinimumCapacity);
    private bool _hasZero; // 0 marks an empty slot, so the key 0 is kept apart

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

    public bool Contains(ulong key)
    {
        if (key == 0)
        {
            return _hasZero;
        }

        var mask = _slots.Length - 1;
        for (var i = Home(key, _shift); ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot == key)
            {
                return true;
            }

            if (slot == 0)
            {
                return false;
            }
        }
    }

    // Fibonacci hashing: the top bits of the key times 2^64 / golden ratio, good whatever the keys look like.
    private static int Home(ulong key, int shift) => (int)((key * 0x9E3779B97F4A7C15UL) >> shift);

    private static bool Insert(ulong[] slots, int shift, ulong key)
    {
        var mask = slots.Length - 1;
        for (var i = Home(key, shift); ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot == key)
            {
                return false;
            }

            if (slot == 0)
            {
                slots[i] = key;
                return true;
            }
        }
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
