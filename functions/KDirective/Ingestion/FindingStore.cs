using Azure.Data.Tables;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>Per-endpoint findings, written in batch transactions of up to 100 rows of one submission.</summary>
public sealed class FindingStore(StorageConnection storage)
{
    public const int BatchSize = 100;

    private readonly TableClient _table = storage.Tables.GetTableClient(StorageNames.FindingsTable);

    public async Task WriteBatchAsync(IEnumerable<FindingEntity> findings, CancellationToken cancellationToken = default)
    {
        var actions = findings.Select(f => new TableTransactionAction(TableTransactionActionType.UpsertReplace, f)).ToArray();
        if (actions.Length > 0)
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes every finding of one submission (after a restart or a whole-file rejection).</summary>
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

    public async Task<IReadOnlyList<FindingEntity>> ListAsync(string agency, string submissionId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {FindingEntity.PartitionFor(agency, submissionId)}");
        var list = new List<FindingEntity>();
        await foreach (var entity in _table.QueryAsync<FindingEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(entity);
        }

        return list;
    }

    /// <summary>One submission's per-host findings, grouped by host (case-insensitive): only hostname and product are read.</summary>
    public async Task<IReadOnlyList<HostFindings>> HostFindingsAsync(string agency, string submissionId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {FindingEntity.PartitionFor(agency, submissionId)}");
        var hosts = new Dictionary<string, (string Hostname, SortedSet<string> Products)>(StringComparer.OrdinalIgnoreCase);
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["Hostname", "Product"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.GetString("Hostname") is not { Length: > 0 } hostname)
            {
                continue; // an aggregated row: no host to track
            }

            if (!hosts.TryGetValue(hostname, out var host))
            {
                host = (hostname, new SortedSet<string>(StringComparer.Ordinal));
                hosts.Add(hostname, host);
            }

            host.Products.Add(entity.GetString("Product") ?? string.Empty);
        }

        return hosts.Values.Select(h => new HostFindings(h.Hostname, h.Products.ToArray())).ToArray();
    }

    /// <summary>Removes every finding of one submission.</summary>
    public Task DeleteSubmissionAsync(string agency, string submissionId, CancellationToken cancellationToken = default) =>
        DeletePartitionAsync(FindingEntity.PartitionFor(agency, submissionId), cancellationToken);
}
