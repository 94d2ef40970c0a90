using Azure;
using Azure.Data.Tables;
using KDirective.Storage;

namespace KDirective.Agencies;

/// <summary>The agencies table.</summary>
public sealed class AgencyRegistry(StorageConnection storage)
{
    private readonly TableClient _table = storage.Tables.GetTableClient(StorageNames.AgenciesTable);

    public async Task<Agency?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!Agency.IsValidId(id))
        {
            return null;
        }

        var response = await _table.GetEntityIfExistsAsync<AgencyEntity>(AgencyEntity.Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value!.ToAgency() : null;
    }

    public async Task<IReadOnlyList<Agency>> ListAsync(CancellationToken cancellationToken = default)
    {
        var agencies = new List<Agency>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AgencyEntity.Partition}");
        await foreach (var entity in _table.QueryAsync<AgencyEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            agencies.Add(entity.ToAgency());
        }

        return agencies.OrderBy(a => a.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Inserts or replaces agencies, 100 to a batch (they share one partition).</summary>
    public async Task UpsertAsync(IEnumerable<Agency> agencies, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in agencies.Chunk(100))
        {
            var actions = chunk.Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, AgencyEntity.From(a)));
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
    }
}
