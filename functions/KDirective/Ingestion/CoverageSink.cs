using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>
/// Passes matches on to the finding writer and keeps what the coverage check needs: what the reader saw of the fleet,
/// and each host's banned products (gathered as the rows pass, so the check does not read back the findings just
/// written; one entry per affected host, which the host diff holds at the end anyway).
/// </summary>
internal sealed class CoverageSink(IMatchSink inner) : IMatchSink, IFleetSink
{
    private readonly Dictionary<string, HostProducts> _found = new(StringComparer.OrdinalIgnoreCase);

    public HostKeySet Hosts { get; private set; } = new();

    public long LargestCount { get; private set; }

    /// <summary>The hosts with a banned product, each with its products in ordinal order (the first spelling of a host is kept).</summary>
    public IReadOnlyList<HostFindings> Found =>
        [.. _found.Values.Select(h => new HostFindings(h.Hostname, [.. h.Products.Order(StringComparer.Ordinal)]))];

    public ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken)
    {
        if (match.Hostname is { Length: > 0 } hostname)
        {
            if (!_found.TryGetValue(hostname, out var host))
            {
                host = new HostProducts(hostname, []);
                _found.Add(hostname, host);
            }

            if (!host.Products.Contains(match.Product))
            {
                host.Products.Add(match.Product);
            }
        }

        return inner.AddAsync(match, cancellationToken);
    }

    public ValueTask ResetAsync(CancellationToken cancellationToken)
    {
        _found.Clear();
        return inner.ResetAsync(cancellationToken);
    }

    public void Fleet(HostKeySet hostKeys, long largestCount) => (Hosts, LargestCount) = (hostKeys, largestCount);

    private sealed record HostProducts(string Hostname, List<string> Products);
}
