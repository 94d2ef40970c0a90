using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>
/// Passes matches on to the finding writer and keeps what the coverage check needs: what the reader saw of the fleet,
/// and each host's banned products (gathered as the rows pass, so the check does not read back the findings just
/// written; one entry per affected host, which the host diff holds at the end anyway).
/// </summary>
internal sealed class CoverageSink(IMatchSink inner) : IMatchSink, IFleetSink
{
    // Host (first spelling kept, case ignored) -> its products in ordinal order. Hosts share one array per combination
    // of products, so a host costs its name and an entry, whatever it carries (83,000 hosts at 10M rows).
    private readonly Dictionary<string, string[]> _found = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string[]> _combinations = new(StringComparer.Ordinal);

    public HostKeySet Hosts { get; private set; } = new();

    public long LargestCount { get; private set; }

    /// <summary>The hosts with a banned product, each with its products in ordinal order.</summary>
    public IReadOnlyList<HostFindings> Found => [.. _found.Select(h => new HostFindings(h.Key, h.Value))];

    public ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken)
    {
        if (match.Hostname is { Length: > 0 } hostname)
        {
            var products = _found.GetValueOrDefault(hostname, []);
            if (Array.IndexOf(products, match.Product) < 0)
            {
                _found[hostname] = Combination([.. products, match.Product]);
            }
        }

        return inner.AddAsync(match, cancellationToken);
    }

    public void Fleet(HostKeySet hostKeys, long largestCount) => (Hosts, LargestCount) = (hostKeys, largestCount);

    private string[] Combination(string[] products)
    {
        Array.Sort(products, StringComparer.Ordinal);
        var key = string.Join('\u001F', products);
        if (!_combinations.TryGetValue(key, out var shared))
        {
            shared = products;
            _combinations.Add(key, shared);
        }

        return shared;
    }
}
