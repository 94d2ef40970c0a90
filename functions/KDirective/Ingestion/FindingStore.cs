using System.Text.Json;
using Azure.Data.Tables;
using KDirective.Inventory;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>
/// Per-endpoint findings, packed as many to a row as fit in <see cref="TableJson.MaxBytes"/> bytes of JSON
/// (<see cref="FindingRowEntity"/>), one row per transaction. A submission's findings span <see cref="FindingEntity.Buckets"/> partitions; reads and deletes visit
/// them in parallel.
/// </summary>
public sealed class FindingStore(StorageConnection storage)
{
    /// <summary>Actions in one table transaction at most (Azure's limit), for the deletes.</summary>
    public const int TransactionLimit = 100;

    /// <summary>Requests to the findings table in flight at once for one submission.</summary>
    public const int MaxConcurrency = FindingEntity.Buckets;

    private readonly TableClient _table = storage.Tables.GetTableClient(StorageNames.FindingsTable);

    /// <summary>
    /// One finding as stored in a row's JSON, with short names since a row holds as many as fit. A hostname, product
    /// and version are at most 512 characters each (longer values are rejected by the reader), so one always fits.
    /// The writer encodes findings with <see cref="FindingEncoder"/>, which is tested to give this text.
    /// </summary>
    internal static string Serialize(FindingEntity finding) =>
        TableJson.Serialize(new StoredFinding(finding.Key, finding.Hostname, finding.Product, finding.Version, finding.Endpoints, finding.Line));

    /// <summary>
    /// Writes one packed row (a transaction of one, so a retry or a fault is about whole rows). It goes as a plain
    /// <see cref="TableEntity"/>: the SDK maps a typed entity through reflection and compiled expressions, which cost
    /// the first ingestion in a fresh process tens of milliseconds while the file was being read.
    /// </summary>
    public async Task WriteRowAsync(FindingRowEntity row, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(row.PartitionKey, row.RowKey)
        {
            [nameof(FindingRowEntity.Agency)] = row.Agency,
            [nameof(FindingRowEntity.SubmissionId)] = row.SubmissionId,
            [nameof(FindingRowEntity.Findings)] = row.Findings,
        };
        await _table.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every row in one partition.</summary>
    public Task DeletePartitionAsync(string partition, CancellationToken cancellationToken = default) =>
        DeleteAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken);

    /// <summary>Removes every finding of one submission, in all its partitions (after a restart or a whole-file rejection).</summary>
    public Task DeleteSubmissionAsync(string agency, string submissionId, CancellationToken cancellationToken = default) =>
        Parallel.ForEachAsync(Enumerable.Range(0, FindingEntity.Buckets), Limits(cancellationToken),
            async (bucket, token) => await DeletePartitionAsync(FindingEntity.PartitionFor(agency, submissionId, bucket), token).ConfigureAwait(false));

    /// <summary>
    /// Removes the rows past the ones this attempt wrote (<paramref name="rowsPerBucket"/>): an earlier attempt at the
    /// same submission that packed more rows, say before an upgrade, would otherwise be read back with this one.
    /// </summary>
    public Task DeleteRowsBeyondAsync(string agency, string submissionId, IReadOnlyList<int> rowsPerBucket, CancellationToken cancellationToken = default) =>
        Parallel.ForEachAsync(Enumerable.Range(0, FindingEntity.Buckets), Limits(cancellationToken), async (bucket, token) =>
        {
            var partition = FindingEntity.PartitionFor(agency, submissionId, bucket);
            await DeleteAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {FindingRowEntity.KeyFor(rowsPerBucket[bucket])}"), token).ConfigureAwait(false);
        });

    /// <summary>Every finding of one submission, bucket by bucket.</summary>
    public async Task<IReadOnlyList<FindingEntity>> ListAsync(string agency, string submissionId, CancellationToken cancellationToken = default)
    {
        var buckets = new IReadOnlyList<FindingEntity>[FindingEntity.Buckets];
        await Parallel.ForEachAsync(Enumerable.Range(0, FindingEntity.Buckets), Limits(cancellationToken), async (bucket, token) =>
            buckets[bucket] = await QueryAsync(FindingEntity.PartitionFor(agency, submissionId, bucket), hostname: null, token).ConfigureAwait(false)).ConfigureAwait(false);
        return buckets.SelectMany(b => b).ToList();
    }

    /// <summary>One host's findings in one submission (host names compare case-insensitively): a single partition.</summary>
    public Task<IReadOnlyList<FindingEntity>> ListForHostAsync(string agency, string submissionId, string hostname, CancellationToken cancellationToken = default) =>
        QueryAsync(FindingEntity.PartitionFor(agency, submissionId, FindingEntity.BucketFor(hostname, string.Empty)), hostname, cancellationToken);

    private async Task<IReadOnlyList<FindingEntity>> QueryAsync(string partition, string? hostname, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var list = new List<FindingEntity>();
        await foreach (var row in _table.QueryAsync<FindingRowEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var f in TableJson.Items<StoredFinding>(row.Findings, row.FindingsJson, InventoryJson.Options))
            {
                if (hostname is null || string.Equals(f.H, hostname, StringComparison.OrdinalIgnoreCase))
                {
                    list.Add(new FindingEntity
                    {
                        Key = f.K, Agency = row.Agency, SubmissionId = row.SubmissionId, Hostname = f.H, Product = f.P, Version = f.V, Endpoints = f.E, Line = f.L,
                    });
                }
            }
        }

        return list;
    }

    private async Task DeleteAsync(string filter, CancellationToken cancellationToken)
    {
        var keys = new List<TableEntity>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(entity);
        }

        foreach (var chunk in keys.Chunk(TransactionLimit))
        {
            await _table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One submission's per-host findings, grouped by host (case-insensitive); aggregated rows have no host.</summary>
    public async Task<IReadOnlyList<HostFindings>> HostFindingsAsync(string agency, string submissionId, CancellationToken cancellationToken = default)
    {
        var hosts = new Dictionary<string, (string Hostname, SortedSet<string> Products)>(StringComparer.OrdinalIgnoreCase);
        foreach (var finding in await ListAsync(agency, submissionId, cancellationToken).ConfigureAwait(false))
        {
            if (finding.Hostname is not { Length: > 0 } hostname)
            {
                continue; // an aggregated row: no host to track
            }

            if (!hosts.TryGetValue(hostname, out var host))
            {
                host = (hostname, new SortedSet<string>(StringComparer.Ordinal));
                hosts.Add(hostname, host);
            }

            host.Products.Add(finding.Product ?? string.Empty);
        }

        return hosts.Values.Select(h => new HostFindings(h.Hostname, h.Products.ToArray())).ToArray();
    }

    private static ParallelOptions Limits(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = MaxConcurrency, CancellationToken = cancellationToken };

    /// <summary>Key, hostname, product, version, endpoints, line.</summary>
    internal sealed record StoredFinding(string K, string? H, string P, string? V, long E, long L);
}
