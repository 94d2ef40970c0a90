using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>
/// The agency status rows. Every change is read-modify-write under the row's ETag and retried on a conflict,
/// and the merge is order-independent: processing uploads in any order, or twice, gives the same row.
/// </summary>
public sealed class StatusStore(StorageConnection storage)
{
    internal const int MaxAttempts = 20;
    private readonly TableClient _table = storage.Tables.GetTableClient(StorageNames.StatusTable);

    public async Task<AgencyStatusEntity?> FindAsync(string agency, CancellationToken cancellationToken = default)
    {
        var response = await _table.GetEntityIfExistsAsync<AgencyStatusEntity>(agency, AgencyStatusEntity.Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Every status row, streamed in agency-id order (the table's own order), without holding them.</summary>
    public IAsyncEnumerable<AgencyStatusEntity> StreamAsync(CancellationToken cancellationToken = default) =>
        _table.QueryAsync<AgencyStatusEntity>(TableClient.CreateQueryFilter($"RowKey eq {AgencyStatusEntity.Row}"), cancellationToken: cancellationToken);

    /// <summary>Folds an accepted submission into the agency's status.</summary>
    public Task ApplyAsync(SubmissionEntity submission, CancellationToken cancellationToken = default) =>
        UpdateAsync(submission.Agency, status => Merge(status, submission), cancellationToken);

    internal static bool Merge(AgencyStatusEntity status, SubmissionEntity s)
    {
        // Plans do not change the status: the milestone rules read them from the submissions.
        if (!s.IsAccepted || s.Kind != SubmissionKinds.Inventory)
        {
            return false;
        }

        var changed = false;

        if (status.FirstInventoryAt is null || s.ReceivedAt < status.FirstInventoryAt)
        {
            (status.FirstInventoryAt, status.FirstInventorySubmissionId) = (s.ReceivedAt, s.SubmissionId);
            changed = true;
        }

        if (IsLater(s, status))
        {
            var findings = JsonSerializer.Deserialize<List<Inventory.InventoryJson.FindingDto>>(s.FindingsJson, Inventory.InventoryJson.Options) ?? [];
            status.LatestSubmissionId = s.SubmissionId;
            status.LatestBlobName = s.BlobName;
            status.LatestReceivedAt = s.ReceivedAt;
            status.LatestEndpointsEstimated = s.EndpointsAffected is null;
            status.LatestEndpointsAffected = s.EndpointsAffected ?? (findings.Count == 0 ? 0 : findings.Max(f => f.Endpoints));
            status.LatestProductsJson = TableJson.Serialize(findings.Select(f => new ProductCount(f.Product, f.Endpoints)));
            changed = true;
        }

        return changed;
    }

    /// <summary>Later in <see cref="SubmissionOrder"/> than the latest the status shows.</summary>
    private static bool IsLater(SubmissionEntity s, AgencyStatusEntity status) =>
        status.LatestReceivedAt is not { } latest
        || SubmissionOrder.Compare(s.ReceivedAt, s.BlobName, s.SubmissionId, latest, status.LatestBlobName, status.LatestSubmissionId) > 0;

    internal async Task UpdateAsync(string agency, Func<AgencyStatusEntity, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await FindAsync(agency, cancellationToken).ConfigureAwait(false);
            var status = existing ?? new AgencyStatusEntity { PartitionKey = agency };
            if (!change(status))
            {
                return;
            }

            try
            {
                if (existing is null)
                {
                    await _table.AddEntityAsync(status, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _table.UpdateEntityAsync(status, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Someone else changed the row since we read it: read it again and re-apply.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

public sealed record ProductCount(string Product, long Endpoints);
