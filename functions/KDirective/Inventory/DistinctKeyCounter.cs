using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace KDirective.Inventory;

/// <summary>
/// Counts distinct 64-bit keys exactly in bounded memory. Keys gather in a <see cref="HostKeySet"/>; when it holds
/// <see cref="SpillAt"/> keys they are sorted in place and written to a temporary file as one sorted run, and the set
/// starts again. <see cref="Count"/> merges the runs with what is left in memory, so a key seen in several runs counts
/// once. Memory stays at one table of <see cref="SpillAt"/> keys plus a small read buffer per run, whatever the file;
/// a file with fewer distinct keys than that never touches the disk.
/// </summary>
internal sealed class DistinctKeyCounter : IDisposable
{
    /// <summary>
    /// 16,384 keys: a table of 256 KiB. At 1M rows of the benchmark's files (25,000 hosts) the fleet spills once; at
    /// 10M (250,000 hosts) it writes 2 MB in 16 runs, and the summary's memory no longer grows with the file.
    /// </summary>
    public const int DefaultSpillAt = 16_384;

    private const int ReadBufferKeys = 512;
    private readonly HostKeySet _keys = new();
    private readonly List<(long Offset, int Length)> _runs = []; // in the file, in keys
    private readonly string _directory;
    private SafeFileHandle? _spill;
    private long? _count;

    /// <param name="spillAt">Keys held in memory before a run is written; <see cref="int.MaxValue"/> never writes one.</param>
    /// <param name="directory">Where the runs go: the system's temporary folder unless a test chooses one.</param>
    public DistinctKeyCounter(int spillAt = DefaultSpillAt, string? directory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spillAt, 1);
        (SpillAt, _directory) = (spillAt, directory ?? Path.GetTempPath());
    }

    public int SpillAt { get; }

    /// <summary>Sorted runs written to disk so far (tests and diagnostics).</summary>
    public int Runs => _runs.Count;

    /// <summary>The keys, when none has gone to disk.</summary>
    public HostKeySet InMemory => _runs.Count == 0
        ? _keys
        : throw new InvalidOperationException("the keys were written to disk; only their count is available");

    /// <summary>
    /// Which of <paramref name="keys"/> were added: ingestion's coverage check asks this of the hosts that carried the
    /// product before. Counts first (no key can be added afterwards), sorts <paramref name="keys"/> in place, then
    /// reads each run once in step with them; memory is the caller's array and a bit per key.
    /// </summary>
    public SortedKeys Among(ulong[] keys)
    {
        _ = Count;
        var sorted = new SortedKeys(keys);
        if (_runs.Count == 0)
        {
            for (var i = 0; i < sorted.Length; i++)
            {
                if (_keys.Contains(sorted[i]))
                {
                    sorted.Mark(i);
                }
            }

            return sorted;
        }

        foreach (var (offset, length) in _runs)
        {
            var run = new Run(_spill!, offset, length);
            for (var i = 0; i < sorted.Length && run.HasCurrent; i++)
            {
                while (run.HasCurrent && run.Current < sorted[i])
                {
                    run.MoveNext();
                }

                if (run.HasCurrent && run.Current == sorted[i])
                {
                    sorted.Mark(i);
                }
            }
        }

        return sorted;
    }

    public void Add(ulong key)
    {
        if (_count is not null)
        {
            throw new InvalidOperationException("the keys were already counted");
        }

        if (_keys.Add(key) && _keys.Count >= SpillAt)
        {
            Spill();
        }
    }

    /// <summary>Distinct keys added. The first call merges the runs; no key can be added after it.</summary>
    public long Count => _count ??= Merge();

    public void Dispose()
    {
        _spill?.Dispose();
        _spill = null;
    }

    private void Spill()
    {
        var sorted = _keys.TakeSorted();
        var offset = _runs.Count == 0 ? 0 : _runs[^1].Offset + ((long)_runs[^1].Length * sizeof(ulong));
        try
        {
            _spill ??= File.OpenHandle(
                Path.Combine(_directory, $"kdirective-{Guid.NewGuid():N}.keys"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            RandomAccess.Write(_spill, MemoryMarshal.AsBytes(sorted), offset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not the inventory's fault, so not a rejection: the reader stops, and says where and why.
            throw new IOException(
                $"counting more than {SpillAt} distinct hosts needs the temporary folder {_directory}, which cannot take them ({e.Message}); " +
                "set TMPDIR to a writable folder with a few MB free", e);
        }

        _runs.Add((offset, sorted.Length));
        _keys.Reset();
    }

    private long Merge()
    {
        if (_runs.Count == 0)
        {
            return _keys.Count;
        }

        // The keys still in memory become the last run, so every key stays on disk for Among after the count.
        if (_keys.Count > 0)
        {
            Spill();
        }

        var runs = _runs.Select(r => new Run(_spill!, r.Offset, r.Length)).ToList();

        // k-way merge on a heap: k is the file's distinct keys over SpillAt (16 at 250,000 hosts).
        var heap = new PriorityQueue<Run, ulong>(runs.Count);
        foreach (var run in runs.Where(r => r.HasCurrent))
        {
            heap.Enqueue(run, run.Current);
        }

        var count = 0L;
        var hasLast = false;
        var last = 0UL;
        while (heap.TryDequeue(out var lowest, out var key))
        {
            if (!hasLast || key != last)
            {
                count++;
                (last, hasLast) = (key, true);
            }

            lowest.MoveNext();
            if (lowest.HasCurrent)
            {
                heap.Enqueue(lowest, lowest.Current);
            }
        }

        return count;
    }

    /// <summary>One sorted run, read a few KiB at a time.</summary>
    private sealed class Run
    {
        private readonly SafeFileHandle _file;
        private readonly ulong[] _buffer;
        private long _next; // byte offset in the file of the next key to buffer
        private long _left; // keys of the run not yet buffered
        private int _index;
        private int _filled;

        public Run(SafeFileHandle file, long offset, long length)
        {
            (_file, _next, _left) = (file, offset, length);
            _buffer = new ulong[(int)Math.Min(ReadBufferKeys, Math.Max(length, 1))];
            Fill();
        }

        public bool HasCurrent => _index < _filled;

        public ulong Current => _buffer[_index];

        public void MoveNext()
        {
            if (++_index == _filled && _left > 0)
            {
                Fill();
            }
        }

        private void Fill()
        {
            var take = (int)Math.Min(_buffer.Length, _left);
            var bytes = MemoryMarshal.AsBytes(_buffer.AsSpan(0, take));
            var read = 0;
            while (read < bytes.Length)
            {
                var n = RandomAccess.Read(_file, bytes[read..], _next + read);
                if (n == 0)
                {
                    throw new IOException("a spilled run of host keys ended early: the temporary file was changed while it was read");
                }

                read += n;
            }

            (_next, _left, _index, _filled) = (_next + bytes.Length, _left - take, 0, take);
        }
    }
}
