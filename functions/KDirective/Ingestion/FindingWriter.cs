using System.Diagnostics;
using KDirective.Inventory;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>
/// Stores one submission's findings while the file is read: host findings are packed per partition bucket (a hash of
/// the hostname), and each full row of <see cref="FindingStore.BatchSize"/> is sent as it fills, with up to
/// <see cref="FindingStore.MaxConcurrency"/> in flight, so memory does not grow with the file and no single partition
/// limits the rate. Rows of aggregated exports (no hostname, an endpoint count) are summed per product and version and
/// written at the end. The same file packs the same findings into the same rows, so a retry rewrites them.
/// </summary>
public sealed class FindingWriter(FindingStore store, string agency, string submissionId, IngestionTimings? timings = null) : IMatchSink
{
    private readonly Pack[] _buckets = Enumerable.Range(0, FindingEntity.Buckets).Select(_ => new Pack()).ToArray();
    private readonly Dictionary<string, FindingEntity> _aggregated = new(StringComparer.Ordinal);
    private readonly HostKeySet _seen = new();
    private readonly List<Task> _inFlight = [];
    private TimeSpan _waited;

    /// <summary>Distinct findings stored.</summary>
    public int Count { get; private set; }

    public async ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken)
    {
        var key = KeyOf(match);
        if (match.Hostname is null)
        {
            if (_aggregated.TryGetValue(key, out var sum))
            {
                sum.Endpoints += match.Endpoints;
            }
            else
            {
                _aggregated[key] = Finding(agency, submissionId, key, match);
            }

            return;
        }

        // The same host, product and version again (another line of the file): stored once.
        if (!_seen.Add(Short(key)))
        {
            return;
        }

        var start = Stopwatch.GetTimestamp();
        await AppendAsync(FindingEntity.BucketFor(match.Hostname, key), Finding(agency, submissionId, key, match), cancellationToken).ConfigureAwait(false);
        _waited += Stopwatch.GetElapsedTime(start);
    }

    /// <summary>The file was rejected whole after some findings were stored: remove them from every partition.</summary>
    public async Task DiscardAsync(CancellationToken cancellationToken)
    {
        await DrainQuietlyAsync().ConfigureAwait(false);
        foreach (var bucket in _buckets)
        {
            bucket.Reset();
        }

        _aggregated.Clear();
        _seen.Clear();
        Count = 0;
        await store.DeleteSubmissionAsync(agency, submissionId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is still buffered (the last host findings and the aggregated sums) and waits for every write.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        timings?.Within("findings: waiting for a write slot while reading", _waited);
        foreach (var sum in _aggregated.Values)
        {
            await AppendAsync(FindingEntity.BucketFor(null, sum.Key), sum, cancellationToken).ConfigureAwait(false);
        }

        for (var bucket = 0; bucket < _buckets.Length; bucket++)
        {
            if (_buckets[bucket].Items.Count > 0)
            {
                await SendAsync(bucket, cancellationToken).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(_inFlight).ConfigureAwait(false);
        _inFlight.Clear();
        await store.DeleteRowsBeyondAsync(agency, submissionId, _buckets.Select(b => b.Rows).ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a finding to its bucket's row, first sending the row when it is full.</summary>
    private async Task AppendAsync(int bucket, FindingEntity finding, CancellationToken cancellationToken)
    {
        var json = FindingStore.Serialize(finding);
        var pack = _buckets[bucket];
        if (pack.Items.Count >= FindingStore.BatchSize || (pack.Items.Count > 0 && pack.Length + 1 + json.Length > TableJson.MaxChars))
        {
            await SendAsync(bucket, cancellationToken).ConfigureAwait(false);
        }

        pack.Items.Add(json);
        pack.Length += json.Length + 1;
    }

    /// <summary>Starts writing a bucket's row, first waiting for a slot when the limit is in flight; a failed write throws here.</summary>
    private async Task SendAsync(int bucket, CancellationToken cancellationToken)
    {
        while (_inFlight.Count >= FindingStore.MaxConcurrency)
        {
            var done = await Task.WhenAny(_inFlight).ConfigureAwait(false);
            _inFlight.Remove(done);
            await done.ConfigureAwait(false);
        }

        var pack = _buckets[bucket];
        var row = new FindingRowEntity
        {
            PartitionKey = FindingEntity.PartitionFor(agency, submissionId, bucket),
            RowKey = FindingRowEntity.KeyFor(pack.Rows),
            Agency = agency,
            SubmissionId = submissionId,
            FindingsJson = $"[{string.Join(',', pack.Items)}]",
        };
        _inFlight.Add(store.WriteRowAsync(row, cancellationToken));
        Count += pack.Items.Count;
        pack.Rows++;
        pack.ClearItems();
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

    /// <summary>The first 64 bits of a key (itself a hash): eight bytes per finding to store each once.</summary>
    private static ulong Short(string key) => Convert.ToUInt64(key[..16], 16);

    /// <summary>A finding's key: a hash of the case-folded hostname, the product and the version.</summary>
    internal static string KeyOf(InventoryMatch match) => TableKeys.Hash(match.Hostname?.ToUpperInvariant(), match.Product, match.Version);

    /// <summary>The finding stored for a match (summed over matches, for an aggregated row).</summary>
    internal static FindingEntity Finding(string agency, string submissionId, string key, InventoryMatch match) => new()
    {
        Key = key,
        Agency = agency,
        SubmissionId = submissionId,
        Hostname = match.Hostname,
        Product = match.Product,
        Version = match.Version,
        Endpoints = match.Endpoints,
        Line = match.Line,
    };

    /// <summary>The findings of one bucket waiting for their row, as JSON, and how many rows the bucket has sent.</summary>
    private sealed class Pack
    {
        public List<string> Items { get; } = new(FindingStore.BatchSize);

        public int Length { get; set; } = 2;

        public int Rows { get; set; }

        public void ClearItems()
        {
            Items.Clear();
            Length = 2; // the brackets
        }

        public void Reset()
        {
            ClearItems();
            Rows = 0;
        }
    }
}
