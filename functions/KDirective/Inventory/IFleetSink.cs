namespace KDirective.Inventory;

/// <summary>
/// A match sink that also wants to know, once a file is read, which hosts it listed and its largest endpoint count:
/// ingestion checks from them whether an inventory covers the hosts that carried the product.
/// </summary>
public interface IFleetSink
{
    /// <param name="hostKeys">Every distinct hostname in the file, as <c>HostKey</c> values (case-insensitive hashes).</param>
    /// <param name="largestCount">The largest endpoint count of a row without a hostname (0 for per-host files).</param>
    void Fleet(HostKeySet hostKeys, long largestCount);
}
