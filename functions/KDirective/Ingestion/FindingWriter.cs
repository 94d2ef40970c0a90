using System.Diagnostics;
using KDirective.Inventory;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>
/// Stores one submission's findings while the file is read: host rows are buffered per partition bucket (a hash of
/// the hostname) and each full batch of 100 is sent as a transaction, with up to <see cref="FindingStore.MaxConcurrency"/>
/// in flight, so memory does not grow with the file and no single partition limits the rate. Rows of aggregated exports
/// (no hostname, an endpoint count) are summed per product and version and written at the end. Keys are derived from
/// the data, so a retry rewrites the same rows in the same partitions.
/// </summary>
public sealed class FindingWriter(FindingStore store, string agency, string submissionId, IngestionTimings? timings = null) : IMatchSink
{
    private readonly Dictionary<string, FindingEntity>[] _buckets =
        Enumerable.Range(0, FindingEntity.Buckets).Select(_ => new Dictionary<string, FindingEntity>(StringComparer.Ordinal)).ToArray();

    private readonly Dictionary<string, FindingEntity> _aggregated = new(StringComparer.Ordinal);
    private readonly HostKeySet _written = new();
    private readonly List<Task> _inFlight = [];
    private TimeSpan _waited;

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
                _aggregated[key] = Entity(key, FindingEntity.BucketFor(null, key), match);
            }

            return;
        }

        // The same host, product and version twice in one batch would fail the transaction: keep the first.
        var index = FindingEntity.BucketFor(match.Hostname, key);
        var bucket = _buckets[index];
        bucket.TryAdd(key, Entity(key, index, match));
        if (bucket.Count >= FindingStore.BatchSize)
        {
            var start = Stopwatch.GetTimestamp();
            await SendAsync(bucket.Values.ToArray(), cancellationToken).ConfigureAwait(false);
            bucket.Clear();
            _waited += Stopwatch.GetElapsedTime(start);
        }
    }

    /// <summary>The file was rejected whole after some findings were stored: remove them from every partition.</summary>
    public async Task DiscardAsync(CancellationToken cancellationToken)
    {
        await DrainQuietlyAsync().ConfigureAwait(false);
        foreach (var bucket in _buckets)
        {
            bucket.Clear();
        }

        _aggregated.Clear();
        _written.Clear();
        await store.DeleteSubmissionAsync(agency, submissionId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is still buffered (the last host rows and the aggregated sums) and waits for every write.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        timings?.Within("findings: waiting for a write slot while reading", _waited);
        var rest = _buckets.SelectMany(b => b.Values.Chunk(FindingStore.BatchSize))
            .Concat(_aggregated.Values.GroupBy(f => f.PartitionKey, StringComparer.Ordinal).SelectMany(g => g.Chunk(FindingStore.BatchSize)));
        foreach (var batch in rest)
        {
            await SendAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(_inFlight).ConfigureAwait(false);
        _inFlight.Clear();
    }

    /// <summary>Starts one transaction, first waiting for a slot when the limit is in flight; a failed write throws here.</summary>
    private async Task SendAsync(FindingEntity[] batch, CancellationToken cancellationToken)
    {
        while (_inFlight.Count >= FindingStore.MaxConcurrency)
        {
            var done = await Task.WhenAny(_inFlight).ConfigureAwait(false);
            _inFlight.Remove(done);
            await done.ConfigureAwait(false);
        }

        _inFlight.Add(store.WriteBatchAsync(batch, cancellationToken));
        foreach (var finding in batch)
        {
            _written.Add(Short(finding.RowKey));
        }
    }

    /// <summary>Before a discard: let started writes finish (their rows are about to be deleted; their errors do not matter).</summary>
    private async Task DrainQuietlyAsync()
    {
        try
        {
            await Task.WhenAll(_inFlight).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or System.Net.Http.HttpRequestException)
        {
            // The delete that follows removes whatever did land.
        }

        _inFlight.Clear();
    }

    /// <summary>The first 64 bits of a row key (itself a hash): eight bytes per finding to count distinct rows.</summary>
    private static ulong Short(string key) => Convert.ToUInt64(key[..16], 16);

    private FindingEntity Entity(string key, int bucket, InventoryMatch match) => new()
    {
        PartitionKey = FindingEntity.PartitionFor(agency, submissionId, bucket),
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
