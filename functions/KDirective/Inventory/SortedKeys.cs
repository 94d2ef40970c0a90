using System.Collections;

namespace KDirective.Inventory;

/// <summary>
/// Keys asked about, sorted and without repeats, each marked found or not (<see cref="DistinctKeyCounter.Among"/>):
/// eight bytes and a bit a key, in the caller's array, where a set of the found keys would take as much again.
/// </summary>
public sealed class SortedKeys
{
    private readonly ulong[] _keys;
    private readonly BitArray _found;

    /// <summary>Sorts <paramref name="keys"/> in place and drops repeats; none is marked found yet.</summary>
    internal SortedKeys(ulong[] keys)
    {
        Array.Sort(keys);
        var n = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (n == 0 || keys[i] != keys[n - 1])
            {
                keys[n++] = keys[i];
            }
        }

        (_keys, Length, _found) = (keys, n, new BitArray(n));
    }

    /// <summary>Distinct keys asked about.</summary>
    internal int Length { get; }

    /// <summary>Keys found.</summary>
    public int Count { get; private set; }

    internal ulong this[int index] => _keys[index];

    public bool Contains(ulong key)
    {
        var i = Array.BinarySearch(_keys, 0, Length, key);
        return i >= 0 && _found[i];
    }

    internal void Mark(int index)
    {
        if (!_found[index])
        {
            _found[index] = true;
            Count++;
        }
    }
}
