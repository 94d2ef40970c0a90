using System.Diagnostics;
using System.Runtime.ExceptionServices;
using KDirective.Inventory;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>
/// Stores one submission's findings while the file is read: host findings are packed per partition bucket (a hash of
/// the hostname), and each row is sent as soon as the next finding would take its JSON past
/// <see cref="TableJson.MaxBytes"/>, with up to <see cref="FindingStore.MaxConcurrency"/> in flight, so no single
/// partition limits the rate. The reader does not wait for a free slot: full rows queue for one, and the reader waits
/// only when <see cref="MaxPendingRows"/> are written, being written or queued, so memory stays bounded whatever the
/// file. Rows of aggregated exports (no hostname, an endpoint count) are summed per product and version and written
/// at the end. The same file packs the same findings into the same rows, so a retry rewrites them.
/// </summary>
/// <param name="expected">Distinct findings expected (the previous inventory's), so the set that stores each once is allocated once.</param>
public sealed class FindingWriter(FindingStore store, string agency, string submissionId, IngestionTimings? timings = null, int expected = 0) : IMatchSink
{
    private readonly Pack[] _buckets = Enumerable.Range(0, FindingEntity.Buckets).Select(_ => new Pack()).ToArray();
    private readonly Dictionary<string, FindingEntity> _aggregated = new(StringComparer.Ordinal);
    private readonly HostKeySet _seen = new(expected);
    private readonly FindingEncoder _encoder = new();
    private readonly List<Task> _pending = [];
    private readonly SemaphoreSlim _slots = new(FindingStore.MaxConcurrency);
    private readonly CancellationTokenSource _stop = new();
    private ExceptionDispatchInfo? _failure;
    private TimeSpan _waited;
    private TimeSpan _appending;

    /// <summary>
    /// Rows sent and not yet acknowledged (in flight or queued for a slot) before the reader waits: at most
    /// 64 × <see cref="TableJson.MaxBytes"/> bytes, 3.5 MiB of JSON, and enough that the reader rarely waits for
    /// storage while it has rows left to read. (16 was tried on 2026-12-06: at 10M rows the peak moved by less than
    /// the run-to-run spread, 136-142 MiB either way in interleaved first runs, and the reader waited 0.11-0.16 s
    /// instead of none.)
    /// </summary>
    public const int MaxPendingRows = 64;

    /// <summary>Distinct findings stored.</summary>
    public int Count { get; private set; }

    public async ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken)
    {
        _encoder.Encode(match.Hostname, match.Product, match.Version, match.Endpoints, match.Line);
        if (match.Hostname is null)
        {
            var key = _encoder.Key;
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
        if (!_seen.Add(_encoder.Short))
        {
            return;
        }

        var start = Stopwatch.GetTimestamp();
        await AppendAsync(_encoder.Bucket, cancellationToken).ConfigureAwait(false);
        _appending += Stopwatch.GetElapsedTime(start);
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
        timings?.Within("findings: keys, packing, queueing rows", _appending - _waited);
        timings?.Within("findings: reader waiting on row writes", _waited);
        foreach (var sum in _aggregated.Values)
        {
            _encoder.Encode(sum.Hostname, sum.Product, sum.Version, sum.Endpoints, sum.Line);
            await AppendAsync(_encoder.Bucket, cancellationToken).ConfigureAwait(false);
        }

        for (var bucket = 0; bucket < _buckets.Length; bucket++)
        {
            if (!_buckets[bucket].Row.IsEmpty)
            {
                await SendAsync(bucket, cancellationToken).ConfigureAwait(false);
            }
        }

        // Every row is numbered now: the rows past them (from an attempt that packed more) go while the last are written.
        var strays = store.DeleteRowsBeyondAsync(agency, submissionId, _buckets.Select(b => b.Rows).ToArray(), cancellationToken);
        try
        {
            await Task.WhenAll(Task.WhenAll(_pending), strays).ConfigureAwait(false);
        }
        catch (Exception) when (_failure is not null)
        {
            // Thrown below as the first failure, not as a write it cancelled.
        }

        _failure?.Throw();
        _pending.Clear();
    }

    /// <summary>Adds the encoded finding to its bucket's row, first sending the row when the finding would not fit in it.</summary>
    private async Task AppendAsync(int bucket, CancellationToken cancellationToken)
    {
        var pack = _buckets[bucket];
        if (!pack.Row.IsEmpty && !pack.Row.Fits(_encoder.Json.Length))
        {
            await SendAsync(bucket, cancellationToken).ConfigureAwait(false);
        }

        pack.Row.Add(_encoder.Json);
    }

    /// <summary>
    /// Queues a bucket's row for writing, first waiting while <see cref="MaxPendingRows"/> are pending. A write that
    /// failed throws here, so the read stops at the first failure (and the rows still queued are not sent).
    /// </summary>
    private async Task SendAsync(int bucket, CancellationToken cancellationToken)
    {
        ForgetWritten();
        var start = Stopwatch.GetTimestamp();
        while (_pending.Count >= MaxPendingRows)
        {
            await Task.WhenAny(_pending).ConfigureAwait(false);
            ForgetWritten();
        }

        _waited += Stopwatch.GetElapsedTime(start);

        var pack = _buckets[bucket];
        var row = new FindingRowEntity
        {
            PartitionKey = FindingEntity.PartitionFor(agency, submissionId, bucket),
            RowKey = FindingRowEntity.KeyFor(pack.Rows),
            Agency = agency,
            SubmissionId = submissionId,
            Findings = pack.Row.ToUtf8(),
        };

        // Started on the thread pool: the SDK builds the request before its first await, which is not the reader's work.
        _pending.Add(Task.Run(() => WriteInTurnAsync(row, cancellationToken), CancellationToken.None));
        Count += pack.Row.Count;
        pack.Rows++;
        pack.Row.Clear();
    }

    /// <summary>Drops the rows written; throws the first failure if a write failed.</summary>
    private void ForgetWritten()
    {
        _pending.RemoveAll(static t =>
        {
            _ = t.IsFaulted ? t.Exception : null; // observed: the failure itself is kept in _failure
            return t.IsCompleted;
        });
        _failure?.Throw();
    }

    /// <summary>
    /// Writes a row once one of the <see cref="FindingStore.MaxConcurrency"/> slots is free. After another row's write
    /// failed, a row still queued is not sent, but a write already sent is not cancelled: a request the client gives
    /// up on may still land after a discard's delete, and leave rows of a rejected file behind.
    /// </summary>
    private async Task WriteInTurnAsync(FindingRowEntity row, CancellationToken cancellationToken)
    {
        using (var queued = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token))
        {
            await _slots.WaitAsync(queued.Token).ConfigureAwait(false);
        }

        try
        {
            _stop.Token.ThrowIfCancellationRequested();
            await store.WriteRowAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            await _stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Before a discard: let started writes finish (their rows are about to be deleted; their errors do not matter).</summary>
    private async Task DrainQuietlyAsync()
    {
        try
        {
            await Task.WhenAll(_pending).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException or System.Net.Http.HttpRequestException)
        {
            // The delete that follows removes whatever did land.
        }

        _pending.Clear();
    }

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

    /// <summary>The findings of one bucket waiting for their row, and how many rows the bucket has sent.</summary>
    private sealed class Pack
    {
        public JsonRow Row { get; } = new();

        public int Rows { get; set; }

        public void Reset()
        {
            Row.Clear();
            Rows = 0;
        }
    }
}
