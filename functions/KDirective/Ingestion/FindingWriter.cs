using KDirective.Inventory;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>
/// Stores one submission's findings while the file is read: host rows in batch transactions of up to 100 as they
/// come, so memory does not grow with the file; rows of aggregated exports (no hostname, an endpoint count) are
/// summed per product and version and written at the end. Keys are derived from the data, so a retry rewrites
/// the same rows.
/// </summary>
public sealed class FindingWriter(FindingStore store, string agency, string submissionId) : IMatchSink
{
    private readonly string _partition = FindingEntity.PartitionFor(agency, submissionId);
    private readonly Dictionary<string, FindingEntity> _batch = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FindingEntity> _aggregated = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _written = [];

    /// <summary>Distinct finding rows stored.</summary>
    public int Count => _written.Count;

    public async ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken)
    {
        var key = TableKeys.Hash(match.Hostname?.ToUpperInvariant(), match.Product, match.Version);
        if (match.Hostname is null)
        {
            if (_aggregated.TryGetValue(key, out var sum))
            {
                sum.Endpoints += match.Endpoints;
            }
            else
            {
                _aggregated[key] = Entity(key, match);
            }

            return;
        }

        // The same host, product and version twice in one batch would fail the transaction: keep the first.
        _batch.TryAdd(key, Entity(key, match));
        if (_batch.Count >= FindingStore.BatchSize)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask ResetAsync(CancellationToken cancellationToken)
    {
        _batch.Clear();
        _aggregated.Clear();
        _written.Clear();
        await store.DeletePartitionAsync(_partition, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is still buffered: the last host rows and the aggregated sums.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in _aggregated.Values.Chunk(FindingStore.BatchSize))
        {
            await store.WriteBatchAsync(chunk, cancellationToken).ConfigureAwait(false);
            _written.UnionWith(chunk.Select(f => Short(f.RowKey)));
        }
    }

    /// <summary>The file was rejected whole after some findings were stored: remove them.</summary>
    public Task DiscardAsync(CancellationToken cancellationToken) => ResetAsync(cancellationToken).AsTask();

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch.Count == 0)
        {
            return;
        }

        await store.WriteBatchAsync(_batch.Values, cancellationToken).ConfigureAwait(false);
        _written.UnionWith(_batch.Keys.Select(Short));
        _batch.Clear();
    }

    /// <summary>The first 64 bits of a row key (itself a hash): eight bytes per finding to count distinct rows.</summary>
    private static ulong Short(string key) => Convert.ToUInt64(key[..16], 16);

    private FindingEntity Entity(string key, InventoryMatch match) => new()
    {
        PartitionKey = _partition,
        RowKey = key,
        Agency = agency,
        SubmissionId = submissionId,
        Hostname = match.Hostname,
        Product = match.Product,
        Version = match.Version,
        Endpoints = match.Endpoints,
        Line = match.Line,
    };
}
