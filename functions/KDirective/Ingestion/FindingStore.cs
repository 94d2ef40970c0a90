using Azure.Data.Tables;
using KDirective.Inventory;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>Per-endpoint findings, written in batch transactions of up to 100 rows of one submission.</summary>
public sealed class FindingStore(StorageConnection storage)
{
    public const int BatchSize = 100;

    private readonly TableClient _table = storage.Tables.GetTableClient(StorageNames.FindingsTable);

    /// <summary>One row per (host, product, version); deterministic keys make a retried write idempotent.</summary>
    public static IReadOnlyList<FindingEntity> FromMatches(string agency, string submissionId, IEnumerable<InventoryMatch> matches) =>
        matches
            .GroupBy(m => (Host: m.Hostname?.ToUpperInvariant(), m.Product, m.Version))
            .Select(g => new FindingEntity
            {
                PartitionKey = FindingEntity.PartitionFor(agency, submissionId),
                RowKey = TableKeys.Hash(g.Key.Host, g.Key.Product, g.Key.Version),
                Agency = agency,
                SubmissionId = submissionId,
                Hostname = g.First().Hostname,
                Product = g.Key.Product,
                Version = g.Key.Version,
                Endpoints = g.Key.Host is null ? g.Sum(m => m.Endpoints) : 1,
                FirstLine = g.Min(m => m.Line),
            })
            .ToArray();

    public async Task WriteAsync(IReadOnlyList<FindingEntity> findings, CancellationToken cancellationToken = default)
    {
        foreach (var partition in findings.GroupBy(f => f.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(BatchSize))
            {
                var actions = chunk.Select(f => new TableTransactionAction(TableTransactionActionType.UpsertReplace, f));
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
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
}
