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
    /// Takes the hosts in any order, with repeats; ingestion gives them in order and calls <see cref="Changes"/>.
    /// </summary>
    public static IReadOnlyList<HostChange> Compare(IEnumerable<HostFindings> carryingBefore, IEnumerable<HostFindings> found, HostKeySet listed) =>
        [.. Changes(InOrder(carryingBefore), InOrder(found), listed.Contains)];

    /// <summary>
    /// The changes, one host at a time, in <see cref="HostChange.ByHostname"/> order: a merge of two lists that are each
    /// in <see cref="ByHostname"/> order with no name twice (case ignored), so nothing is built for the whole
    /// diff. At 10M rows there are 83,000 affected hosts; building every change, a key per host and a set of them
    /// before the first row was written made up most of the ingestion's peak memory.
    /// A host found now is <see cref="HostChangeKinds.Remaining"/> (under this inventory's spelling and products)
    /// or <see cref="HostChangeKinds.New"/>; a host only carrying before is <see cref="HostChangeKinds.Removed"/>
    /// when the inventory lists it, else <see cref="HostChangeKinds.Unreported"/>.
    /// </summary>
    /// <param name="listed">Whether the inventory lists a host, by <see cref="KeyOf"/>.</param>
    /// <exception cref="ArgumentException">A list is out of order or names a host twice.</exception>
    public static IEnumerable<HostChange> Changes(IEnumerable<HostFindings> carryingBefore, IEnumerable<HostFindings> found, Func<ulong, bool> listed)
    {
        using var b = new InOrderReader(carryingBefore);
        using var f = new InOrderReader(found);
        while (b.HasCurrent || f.HasCurrent)
        {
            var order = !b.HasCurrent ? 1
                : !f.HasCurrent ? -1
                : string.Compare(b.Current.Hostname, f.Current.Hostname, StringComparison.OrdinalIgnoreCase);
            if (order < 0)
            {
                var host = b.Take();
                yield return new HostChange(host.Hostname, listed(KeyOf(host.Hostname)) ? HostChangeKinds.Removed : HostChangeKinds.Unreported, host.Products);
            }
            else
            {
                if (order == 0)
                {
                    b.Take();
                }

                var host = f.Take();
                yield return new HostChange(host.Hostname, order == 0 ? HostChangeKinds.Remaining : HostChangeKinds.New, host.Products);
            }
        }
    }

    /// <summary>The order <see cref="Changes"/> takes its lists in: hostname with case ignored, then ordinal.</summary>
    public static IComparer<HostFindings> ByHostname { get; } = Comparer<HostFindings>.Create(static (a, b) => CompareHostnames(a.Hostname, b.Hostname));

    internal static int CompareHostnames(string a, string b)
    {
        var ignoringCase = string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        return ignoringCase != 0 ? ignoringCase : string.CompareOrdinal(a, b);
    }

    /// <summary>One side of the merge: its hosts one at a time, each checked to come after the one before it (case ignored).</summary>
    private sealed class InOrderReader : IDisposable
    {
        private readonly IEnumerator<HostFindings> _hosts;

        public InOrderReader(IEnumerable<HostFindings> hosts)
        {
            _hosts = hosts.GetEnumerator();
            HasCurrent = _hosts.MoveNext();
        }

        public bool HasCurrent { get; private set; }

        public HostFindings Current => _hosts.Current;

        public HostFindings Take()
        {
            var host = _hosts.Current;
            HasCurrent = _hosts.MoveNext();
            if (HasCurrent && !Precedes(host, _hosts.Current))
            {
                throw new ArgumentException($"hosts must be in hostname order with no name twice (case ignored); '{host.Hostname}' comes before '{_hosts.Current.Hostname}'");
            }

            return host;
        }

        public void Dispose() => _hosts.Dispose();
    }

    /// <summary>
    /// The hosts with the first spelling of each name kept (case ignored), in <see cref="ByHostname"/> order: the list
    /// itself when it is already (a stored diff is), else a sorted copy.
    /// </summary>
    internal static IReadOnlyList<HostFindings> InOrder(IEnumerable<HostFindings> hosts)
    {
        if (hosts is IReadOnlyList<HostFindings> list && IsStrictlyInOrder(list))
        {
            return list;
        }

        var first = new Dictionary<string, HostFindings>(StringComparer.OrdinalIgnoreCase);
        foreach (var host in hosts)
        {
            first.TryAdd(host.Hostname, host);
        }

        var ordered = first.Values.ToArray();
        Array.Sort(ordered, ByHostname);
        return ordered;
    }

    private static bool IsStrictlyInOrder(IReadOnlyList<HostFindings> hosts)
    {
        for (var i = 1; i < hosts.Count; i++)
        {
            if (!Precedes(hosts[i - 1], hosts[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="a"/> comes strictly before <paramref name="b"/>, case ignored: in order, and not the same host.</summary>
    private static bool Precedes(HostFindings a, HostFindings b) => string.Compare(a.Hostname, b.Hostname, StringComparison.OrdinalIgnoreCase) < 0;

    /// <param name="perHost">The inventory lists hosts (not an aggregated export).</param>
    /// <param name="changes">From <see cref="Compare"/>.</param>
    /// <param name="fleetSize">Distinct hosts, or the largest device count of any application.</param>
    /// <param name="referenceFleetSize">The last full-coverage inventory's fleet size; null for the first inventory.</param>
    /// <param name="minCoverage">The share of the reference an aggregated export must reach.</param>
    public static InventoryCoverage Assess(bool perHost, IReadOnlyList<HostChange> changes, long fleetSize, long? referenceFleetSize, double minCoverage)
    {
        var lacking = changes.Where(c => c.Change == HostChangeKinds.Unreported).Select(c => c.Hostname).ToArray();
        return Assess(perHost, lacking.Length, lacking.Take(HostsListed).ToArray(), fleetSize, referenceFleetSize, minCoverage);
    }

    /// <param name="perHost">The inventory lists hosts (not an aggregated export).</param>
    /// <param name="hostsLacking">The unreported hosts of the diff.</param>
    /// <param name="lackingFirst">The first of them in hostname order (at most <see cref="HostsListed"/> are kept).</param>
    /// <param name="fleetSize">Distinct hosts, or the largest device count of any application.</param>
    /// <param name="referenceFleetSize">The last full-coverage inventory's fleet size; null for the first inventory.</param>
    /// <param name="minCoverage">The share of the reference an aggregated export must reach.</param>
    public static InventoryCoverage Assess(bool perHost, int hostsLacking, IReadOnlyList<string> lackingFirst, long fleetSize, long? referenceFleetSize, double minCoverage)
    {
        if (perHost)
        {
            return new InventoryCoverage(hostsLacking == 0 ? CoverageKinds.Full : CoverageKinds.Partial, hostsLacking, lackingFirst.Take(HostsListed).ToArray(), fleetSize, referenceFleetSize);
        }

        var partial = referenceFleetSize is { } reference && reference > 0 && fleetSize < minCoverage * reference;
        return new InventoryCoverage(partial ? CoverageKinds.Partial : CoverageKinds.Full, 0, [], fleetSize, referenceFleetSize);
    }

    /// <summary>The reader's key for a hostname, so names from stored findings compare with the hosts a file listed.</summary>
    internal static ulong KeyOf(string hostname) => HostKey.Of(Encoding.UTF8.GetBytes(hostname));
}
