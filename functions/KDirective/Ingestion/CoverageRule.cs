using System.Text;
using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>
/// The coverage rule, pure. Per host: an inventory is partial when it lacks a host that still carried the product
/// as of the previous accepted inventory. Aggregated (no hostnames): partial when its fleet size is under
/// <c>Directive:MinCoverage</c> of the last full-coverage inventory's. A partial inventory cannot close removal.
/// </summary>
public static class CoverageRule
{
    public const int HostsListed = 100;

    /// <summary>
    /// Compares the hosts that carried the product before with this inventory's findings and the hosts it lists: one
    /// change per host (the first spelling of a name kept, case ignored), in <see cref="HostChange.ByHostname"/> order.
    /// Collections are sized up front and sorted in place: at 10M rows there are 83,000 affected hosts, and growing
    /// and sorting copies of those arrays put several megabytes on the large-object heap at the end of every run.
    /// </summary>
    public static IReadOnlyList<HostChange> Compare(IEnumerable<HostFindings> carryingBefore, IEnumerable<HostFindings> found, HostKeySet listed)
    {
        var before = new Dictionary<string, HostFindings>(StringComparer.Ordinal);
        foreach (var host in carryingBefore)
        {
            before.TryAdd(Key(host), host);
        }

        var hosts = found as IReadOnlyCollection<HostFindings> ?? [.. found];
        var seen = new HashSet<string>(hosts.Count, StringComparer.Ordinal);
        var changes = new List<HostChange>(hosts.Count + before.Count);
        foreach (var host in hosts)
        {
            var key = Key(host);
            if (seen.Add(key))
            {
                changes.Add(new HostChange(host.Hostname, before.Remove(key) ? HostChangeKinds.Remaining : HostChangeKinds.New, host.Products));
            }
        }

        foreach (var host in before.Values)
        {
            var change = listed.Contains(KeyOf(host.Hostname)) ? HostChangeKinds.Removed : HostChangeKinds.Unreported;
            changes.Add(new HostChange(host.Hostname, change, host.Products));
        }

        changes.Sort(HostChange.ByHostname);
        return changes;
    }

    /// <param name="perHost">The inventory lists hosts (not an aggregated export).</param>
    /// <param name="changes">From <see cref="Compare"/>.</param>
    /// <param name="fleetSize">Distinct hosts, or the largest device count of any application.</param>
    /// <param name="referenceFleetSize">The last full-coverage inventory's fleet size; null for the first inventory.</param>
    /// <param name="minCoverage">The share of the reference an aggregated export must reach.</param>
    public static InventoryCoverage Assess(bool perHost, IReadOnlyList<HostChange> changes, long fleetSize, long? referenceFleetSize, double minCoverage)
    {
        if (perHost)
        {
            var lacking = changes.Where(c => c.Change == HostChangeKinds.Unreported).Select(c => c.Hostname).ToArray();
            return new InventoryCoverage(lacking.Length == 0 ? CoverageKinds.Full : CoverageKinds.Partial, lacking.Length, lacking.Take(HostsListed).ToArray(), fleetSize, referenceFleetSize);
        }

        var partial = referenceFleetSize is { } reference && reference > 0 && fleetSize < minCoverage * reference;
        return new InventoryCoverage(partial ? CoverageKinds.Partial : CoverageKinds.Full, 0, [], fleetSize, referenceFleetSize);
    }

    private static string Key(HostFindings host) => host.Hostname.ToUpperInvariant();

    /// <summary>The reader's key for a hostname, so names from stored findings compare with the hosts a file listed.</summary>
    internal static ulong KeyOf(string hostname) => HostKey.Of(Encoding.UTF8.GetBytes(hostname));
}
