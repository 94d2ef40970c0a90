using Azure.Data.Tables;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>
/// Per-endpoint findings, written in batch transactions of up to 100 rows of one partition. A submission's findings
/// span <see cref="FindingEntity.Buckets"/> partitions; reads and deletes visit them in parallel.
/// </summary>
public sealed class FindingStore(StorageConnection storage)
{
    public const int BatchSize = 100;

    /// <summary>Requests to the findings table in flight at once for one submission.</summary>
    public const int MaxConcurrency = FindingEntity.Buckets;

    private readonly TableClient _table = storage.Tables.GetTableClient(StorageNames.FindingsTable);

    /// <summary>One transaction: up to <see cref="BatchSize"/> findings of one partition.</summary>
    public async Task WriteBatchAsync(IEnumerable<FindingEntity> findings, CancellationToken cancellationToken = default)
    {
        var actions = findings.Select(f => new TableTransactionAction(TableTransactionActionType.UpsertReplace, f)).ToArray();
        if (actions.Length > 0)
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes every finding in one partition.</summary>
    public async Task DeletePartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var keys = new List<TableEntity>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(entity);
        }

        foreach (var chunk in keys.Chunk(BatchSize))
        {
            await _table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes every finding of one submission, in all its partitions (after a restart or a whole-file rejection).</summary>
    public Task DeleteSubmissionAsync(string agency, string submissionId, CancellationToken cancellationToken = default) =>
        Parallel.ForEachAsync(Enumerable.Range(0, FindingEntity.Buckets), Limits(cancellationToken),
            async (bucket, token) => await DeletePartitionAsync(FindingEntity.PartitionFor(agency, submissionId, bucket), token).ConfigureAwait(false));

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
        await foreach (var entity in _table.QueryAsync<FindingEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (hostname is null || string.Equals(entity.Hostname, hostname, StringComparison.OrdinalIgnoreCase))
            {
                list.Add(entity);
            }
        }

        return list;
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
}
