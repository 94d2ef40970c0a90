using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>
/// Passes matches on to the finding writer and keeps what the coverage check needs: what the reader saw of the fleet,
/// and each host's banned products (gathered as the rows pass, so the check does not read back the findings just
/// written; one entry per affected host, which the host diff holds at the end anyway).
/// </summary>
/// <param name="inner">The finding writer.</param>
/// <param name="expectedHosts">Affected hosts expected (the previous inventory's), so the table is allocated once.</param>
internal sealed class CoverageSink(IMatchSink inner, int expectedHosts = 0) : IMatchSink, IFleetSink, IDisposable
{
    // Host (first spelling kept, case ignored) -> its products in ordinal order. Hosts share one array per combination
    // of products, so a host costs its name and an entry, whatever it carries (83,000 hosts at 10M rows).
    private readonly Dictionary<string, string[]> _found = new(expectedHosts, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string[]> _combinations = new(StringComparer.Ordinal);

    // A shared combination and one more product -> the shared combination of both, so a host's next product is found
    // without building the combined list and its key again (they were two allocations per affected host).
    private readonly Dictionary<(string[] Products, string Product), string[]> _next = new(Step.Comparer);

    /// <summary>The hosts the file listed, once it is read; disposing the sink deletes their runs.</summary>
    public FleetKeys Hosts { get; private set; } = new();

    public long LargestCount { get; private set; }

    /// <summary>
    /// The hosts with a banned product, each with its products in ordinal order, in <see cref="CoverageRule.ByHostname"/>
    /// order as <see cref="CoverageRule.Changes"/> takes them: one array of values of the exact size, sorted in place.
    /// </summary>
    public HostFindings[] Found
    {
        get
        {
            var found = new HostFindings[_found.Count];
            var i = 0;
            foreach (var (hostname, products) in _found)
            {
                found[i++] = new HostFindings(hostname, products);
            }

            Array.Sort(found, CoverageRule.ByHostname);
            return found;
        }
    }

    public ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken)
    {
        if (match.Hostname is { Length: > 0 } hostname)
        {
            ref var products = ref CollectionsMarshal.GetValueRefOrAddDefault(_found, hostname, out _);
            products ??= [];
            if (Array.IndexOf(products, match.Product) < 0)
            {
                products = With(products, match.Product);
            }
        }

        return inner.AddAsync(match, cancellationToken);
    }

    public void Fleet(FleetKeys hostKeys, long largestCount)
    {
        Hosts.Dispose();
        (Hosts, LargestCount) = (hostKeys, largestCount);
    }

    public void Dispose() => Hosts.Dispose();

    /// <summary>The shared combination of <paramref name="products"/> (itself shared, or the empty list) and one more.</summary>
    private string[] With(string[] products, string product)
    {
        if (_next.TryGetValue((products, product), out var next))
        {
            return next;
        }

        string[] combined = [.. products, product];
        Array.Sort(combined, StringComparer.Ordinal);
        var key = string.Join('\u001F', combined);
        if (!_combinations.TryGetValue(key, out next))
        {
            next = combined;
            _combinations.Add(key, next);
        }

        _next.Add((products, product), next);
        return next;
    }

    /// <summary>Compares a combination by reference (every one is shared) and a product by its characters.</summary>
    private sealed class Step : IEqualityComparer<(string[] Products, string Product)>
    {
        public static readonly Step Comparer = new();

        public bool Equals((string[] Products, string Product) x, (string[] Products, string Product) y) =>
            ReferenceEquals(x.Products, y.Products) && string.Equals(x.Product, y.Product, StringComparison.Ordinal);

        public int GetHashCode((string[] Products, string Product) step) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(step.Products), StringComparer.Ordinal.GetHashCode(step.Product));
    }
}
