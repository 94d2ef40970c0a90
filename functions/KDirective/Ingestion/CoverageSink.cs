using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>Passes matches on to the finding writer and keeps what the reader saw of the fleet, for the coverage check.</summary>
internal sealed class CoverageSink(IMatchSink inner) : IMatchSink, IFleetSink
{
    public IReadOnlySet<ulong> Hosts { get; private set; } = new HashSet<ulong>();

    public long LargestCount { get; private set; }

    public ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken) => inner.AddAsync(match, cancellationToken);

    public ValueTask ResetAsync(CancellationToken cancellationToken) => inner.ResetAsync(cancellationToken);

    public void Fleet(IReadOnlySet<ulong> hostKeys, long largestCount) => (Hosts, LargestCount) = (hostKeys, largestCount);
}
