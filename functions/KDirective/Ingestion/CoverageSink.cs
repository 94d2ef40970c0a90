using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>
/// Passes matches on to the finding writer and keeps what the coverage check needs: what the reader saw of the fleet,
/// and each host's banned products (gathered as the rows pass, so the check does not read back the findings just
/// written). Affected hosts past <see cref="HostRuns.SpillAt"/> go to a temporary file (<see cref="HostRuns"/>).
/// </summary>
/// <param name="inner">The finding writer.</param>
/// <param name="expectedHosts">Affected hosts expected (the previous inventory's), so the table is allocated once.</param>
/// <param name="spillAt">Affected hosts held in memory (tests choose a small number).</param>
internal sealed class CoverageSink(IMatchSink inner, int expectedHosts = 0, int spillAt = HostRuns.DefaultSpillAt) : IMatchSink, IFleetSink, IDisposable
{
    /// <summary>The hosts with a banned product, each with its products in ordinal order; disposing the sink deletes any runs.</summary>
    public HostRuns Found { get; } = new(expectedHosts, spillAt);

    /// <summary>The hosts the file listed, once it is read; disposing the sink deletes their runs.</summary>
    public FleetKeys Hosts { get; private set; } = new();

    public long LargestCount { get; private set; }

    public ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken)
    {
        if (match.Hostname is { Length: > 0 } hostname)
        {
            Found.Add(hostname, match.Product);
        }

        return inner.AddAsync(match, cancellationToken);
    }

    public void Fleet(FleetKeys hostKeys, long largestCount)
    {
        Hosts.Dispose();
        (Hosts, LargestCount) = (hostKeys, largestCount);
    }

    public void Dispose()
    {
        Hosts.Dispose();
        Found.Dispose();
    }
}
