namespace KDirective.Inventory;

/// <summary>
/// A match sink that also wants to know, once a file is read, which hosts it listed and its largest endpoint count:
/// ingestion checks from them whether an inventory covers the hosts that carried the product.
/// </summary>
public interface IFleetSink
{
    /// <param name="hostKeys">Every distinct hostname in the file, as <c>HostKey</c> values (case-insensitive hashes); the sink disposes them.</param>
    /// <param name="largestCount">The largest endpoint count of a row without a hostname (0 for per-host files).</param>
    void Fleet(FleetKeys hostKeys, long largestCount);
}

/// <summary>
/// The distinct hosts a file listed, as <c>HostKey</c> values: counted exactly, and looked up in bulk. Past a few
/// thousand hosts they are sorted runs in a temporary file (<see cref="DistinctKeyCounter"/>), so a 10M-row file's
/// 250,000 hosts take a 256 KiB table rather than 4 MiB and the copies it grew through. Disposing deletes the file.
/// </summary>
public sealed class FleetKeys : IDisposable
{
    private readonly DistinctKeyCounter _keys;

    internal FleetKeys(DistinctKeyCounter keys) => _keys = keys;

    /// <summary>No hosts (a file not read).</summary>
    public FleetKeys()
        : this(new DistinctKeyCounter())
    {
    }

    /// <summary>Distinct hosts listed.</summary>
    public long Count => _keys.Count;

    /// <summary>Which of <paramref name="keys"/> the file listed; sorts them in place.</summary>
    public SortedKeys Among(ulong[] keys) => _keys.Among(keys);

    public void Dispose() => _keys.Dispose();
}
