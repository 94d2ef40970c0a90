using Azure;
using Azure.Data.Tables;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>The submissions table: the record of every processed upload.</summary>
public sealed class SubmissionStore(StorageConnection storage)
{
    private readonly TableClient _table = storage.Tables.GetTableClient(StorageNames.SubmissionsTable);

    public async Task<SubmissionEntity?> FindAsync(string partition, string submissionId, CancellationToken cancellationToken = default)
    {
        var response = await _table.GetEntityIfExistsAsync<SubmissionEntity>(partition, submissionId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Records that processing started; a record that already exists (a retry or a twin) is left alone.</summary>
    public async Task MarkProcessingAsync(SubmissionEntity entity, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
    }

    public Task CompleteAsync(SubmissionEntity entity, CancellationToken cancellationToken = default) =>
        _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Replaces a submission read earlier unless it changed since (<see cref="DiffRepair"/>); false if it did.</summary>
    public async Task<bool> ReplaceIfUnchangedAsync(SubmissionEntity entity, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>The agency's completed submissions of one kind, oldest first (<see cref="SubmissionOrder"/>).</summary>
    public async Task<IReadOnlyList<SubmissionEntity>> ListAsync(string agency, string? kind = null, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {agency} and State eq {SubmissionEntity.Complete}");
        var list = new List<SubmissionEntity>();
        await foreach (var entity in _table.QueryAsync<SubmissionEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (kind is null || entity.Kind == kind)
            {
                list.Add(entity);
            }
        }

        return list.Order(SubmissionOrder.Comparer).ToArray();
    }

    /// <summary>Every submission still marked processing, across agencies (a crash leaves them; the sweep finds them).</summary>
    public async Task<IReadOnlyList<SubmissionEntity>> ListProcessingAsync(CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"State eq {SubmissionEntity.Processing}");
        var list = new List<SubmissionEntity>();
        await foreach (var entity in _table.QueryAsync<SubmissionEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(entity);
        }

        return list;
    }

    /// <summary>Deletes a submission unless it changed since it was read (say, a retry completed it meanwhile).</summary>
    public async Task DeleteIfUnchangedAsync(SubmissionEntity entity, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
        }
    }
}
