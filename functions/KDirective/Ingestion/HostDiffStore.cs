using System.Buffers;
using System.Text.Json;
using Azure.Data.Tables;
using KDirective.Inventory;
using KDirective.Storage;

namespace KDirective.Ingestion;

/// <summary>
/// Per-host diffs of accepted inventories (table <c>HostDiffs</c>, partition = agency): which hosts the latest
/// inventory shows removed, remaining, new or unreported, and so which hosts still carry the product. The status and
/// the dashboard read them through this class.
/// </summary>
public sealed class HostDiffStore(StorageConnection storage)
{
    private const int CarryingListed = 100;

    /// <summary>
    /// A transaction's body may not exceed 4 MiB. A packed row holds up to 56 KiB, sent as base64 (about 76,000
    /// characters, whatever the names' script): 16 rows are about 1.2 MiB.
    /// </summary>
    internal const int RowsPerTransaction = 16;
    private readonly TableClient _table = storage.Tables.GetTableClient(StorageNames.HostDiffsTable);

    /// <summary>Stores a diff: host rows first, the summary last. Keys come from the data, so a retry rewrites the same rows.</summary>
    public async Task SaveAsync(string agency, SubmissionEntity submission, string? previousSubmissionId, InventoryCoverage coverage, IReadOnlyList<HostChange> changes, CancellationToken cancellationToken = default)
    {
        // Plain entities holding the binary property alone: the legacy string property is never written.
        var rows = Pack(changes).Select((utf8, chunk) => new TableEntity(agency, ChunkKey(submission.SubmissionId, chunk))
        {
            [nameof(HostChangeEntity.Changes)] = utf8,
        }).ToArray();

        // The rows past the ones written (a retry that found a different diff, say because another inventory completed
        // meanwhile, may pack fewer rows than the attempt before it) would be read back as part of this diff: they
        // are removed while the rows are written, which they do not overlap. The summary goes last, when both are done.
        await Task.WhenAll(
            Parallel.ForEachAsync(rows.Chunk(RowsPerTransaction), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (transaction, token) =>
                await _table.SubmitTransactionAsync(transaction.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token).ConfigureAwait(false)),
            DeleteChunksFromAsync(agency, submission.SubmissionId, rows.Length, cancellationToken)).ConfigureAwait(false);

        var summary = new HostDiffEntity
        {
            PartitionKey = agency,
            RowKey = HostDiffEntity.Prefix + submission.SubmissionId,
            SubmissionId = submission.SubmissionId,
            BlobName = submission.BlobName,
            ReceivedAt = submission.ReceivedAt,
            PreviousSubmissionId = previousSubmissionId,
            Coverage = coverage.Kind,
            HostsLacking = coverage.HostsLacking,
            HostsLackingJson = TableJson.Names(coverage.HostsLackingFirst),
            FleetSize = coverage.FleetSize,
            ReferenceFleetSize = coverage.ReferenceFleetSize,
            Removed = changes.Count(c => c.Change == HostChangeKinds.Removed),
            Remaining = changes.Count(c => c.Change == HostChangeKinds.Remaining),
            New = changes.Count(c => c.Change == HostChangeKinds.New),
            Unreported = changes.Count(c => c.Change == HostChangeKinds.Unreported),
            CarryingJson = TableJson.Names(changes.Where(c => c.Carrying).Select(c => c.Hostname).Take(CarryingListed)),
        };
        await _table.UpsertEntityAsync(summary, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteChunksFromAsync(string agency, string submissionId, int first, CancellationToken cancellationToken)
    {
        var stale = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(ChunksFrom(agency, submissionId, first), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            stale.Add(e);
        }

        foreach (var transaction in stale.Chunk(FindingStore.TransactionLimit))
        {
            await _table.SubmitTransactionAsync(transaction.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The diff of the agency's latest accepted inventory, every host included; null before the first.</summary>
    public async Task<HostDiff?> GetLatestAsync(string agency, CancellationToken cancellationToken = default)
    {
        var summary = await LatestSummaryAsync(agency, cancellationToken).ConfigureAwait(false);
        return summary is null ? null : ToDiff(summary, await HostsAsync(agency, summary.SubmissionId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The latest diff's counts, coverage and first hostnames, without the host rows (what the status shows).</summary>
    public async Task<HostDiff?> GetLatestSummaryAsync(string agency, CancellationToken cancellationToken = default)
    {
        var summary = await LatestSummaryAsync(agency, cancellationToken).ConfigureAwait(false);
        return summary is null ? null : ToDiff(summary, []);
    }

    internal async Task<HostDiffEntity?> GetSummaryAsync(string agency, string submissionId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<HostDiffEntity>(agency, HostDiffEntity.Prefix + submissionId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>One inventory's diff; null when it has none (not an accepted inventory, or not yet processed).</summary>
    public async Task<HostDiff?> GetAsync(string agency, string submissionId, CancellationToken cancellationToken = default)
    {
        var summary = await GetSummaryAsync(agency, submissionId, cancellationToken).ConfigureAwait(false);
        return summary is null ? null : ToDiff(summary, await HostsAsync(agency, submissionId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The hosts that still carry the product, with their products, as of the agency's latest accepted inventory.</summary>
    public async Task<IReadOnlyList<HostFindings>> CurrentFindingsByHostAsync(string agency, CancellationToken cancellationToken = default) =>
        (await GetLatestAsync(agency, cancellationToken).ConfigureAwait(false))?.Hosts.Where(h => h.Carrying).Select(h => new HostFindings(h.Hostname, h.Products)).ToArray() ?? [];

    /// <summary>Removes one submission's diff (the sweep, for a submission that never completed).</summary>
    public async Task DeleteAsync(string agency, string submissionId, CancellationToken cancellationToken = default)
    {
        var keys = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(HostRange(agency, submissionId), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(e);
        }

        await _table.DeleteEntityAsync(agency, HostDiffEntity.Prefix + submissionId, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var chunk in keys.Chunk(FindingStore.TransactionLimit))
        {
            await _table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e)), cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<IReadOnlyList<HostChange>> HostsAsync(string agency, string submissionId, CancellationToken cancellationToken)
    {
        var list = new List<HostChange>();
        await foreach (var e in _table.QueryAsync<HostChangeEntity>(HostRange(agency, submissionId), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var change in TableJson.Items<StoredChange>(e.Changes, e.ChangesJson, InventoryJson.Options))
            {
                list.Add(new HostChange(change.H, change.C, change.P));
            }
        }

        return list.OrderBy(c => c.Hostname, StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>
    /// The changes in hostname order, as UTF-8 JSON arrays of at most <see cref="TableJson.MaxBytes"/> - 1 bytes each.
    /// Each change is written as <see cref="StoredChange"/> serializes (tested), into buffers reused for every change
    /// and row: a 10M-row inventory has about 83,000 of them, and a serializer call per change allocated about 35 MB.
    /// </summary>
    internal static IEnumerable<byte[]> Pack(IReadOnlyList<HostChange> changes)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = InventoryJsonWriter.Encoder });
        var row = new JsonRow();
        foreach (var change in IsInOrder(changes) ? changes : (IEnumerable<HostChange>)changes.Order(HostChange.ByHostname))
        {
            buffer.ResetWrittenCount();
            json.Reset();
            json.WriteStartObject();
            json.WriteString("h"u8, change.Hostname);
            json.WriteString("c"u8, change.Change);
            json.WriteStartArray("p"u8);
            for (var i = 0; i < change.Products.Count; i++)
            {
                json.WriteStringValue(change.Products[i]); // by index: a foreach over the interface allocates an enumerator per change
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();

            // A hostname is at most 512 characters and the products a short list, so one change always fits in a row.
            if (!row.IsEmpty && !row.Fits(buffer.WrittenCount))
            {
                yield return row.ToUtf8();
                row.Clear();
            }

            row.Add(buffer.WrittenSpan);
        }

        if (!row.IsEmpty)
        {
            yield return row.ToUtf8();
        }
    }

    /// <summary>Whether the changes are in <see cref="HostChange.ByHostname"/> order already, as the coverage rule gives them.</summary>
    private static bool IsInOrder(IReadOnlyList<HostChange> changes)
    {
        for (var i = 1; i < changes.Count; i++)
        {
            if (HostChange.ByHostname.Compare(changes[i - 1], changes[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A few summaries per agency (one per accepted inventory): the latest in <see cref="SubmissionOrder"/>.</summary>
    private async Task<HostDiffEntity?> LatestSummaryAsync(string agency, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {agency} and RowKey gt {HostDiffEntity.Prefix} and RowKey lt {"d."}");
        HostDiffEntity? latest = null;
        await foreach (var e in _table.QueryAsync<HostDiffEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (latest is null || SubmissionOrder.Compare(e.ReceivedAt, e.BlobName, e.SubmissionId, latest.ReceivedAt, latest.BlobName, latest.SubmissionId) > 0)
            {
                latest = e;
            }
        }

        return latest;
    }

    private static string ChunkKey(string submissionId, int chunk) => $"{HostChangeEntity.Prefix}{submissionId}-{chunk:D5}";

    private static string ChunksFrom(string agency, string submissionId, int first) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {agency} and RowKey ge {ChunkKey(submissionId, first)} and RowKey lt {$"{HostChangeEntity.Prefix}{submissionId}."}");

    private static string HostRange(string agency, string submissionId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {agency} and RowKey gt {$"{HostChangeEntity.Prefix}{submissionId}-"} and RowKey lt {$"{HostChangeEntity.Prefix}{submissionId}."}");

    /// <summary>One host change as stored: short names, since a row holds as many as fit.</summary>
    internal sealed record StoredChange(string H, string C, IReadOnlyList<string> P);

    private static HostDiff ToDiff(HostDiffEntity e, IReadOnlyList<HostChange> hosts) => new(
        e.PartitionKey, e.SubmissionId, e.BlobName, e.ReceivedAt, e.PreviousSubmissionId,
        new InventoryCoverage(e.Coverage, e.HostsLacking, JsonSerializer.Deserialize<List<string>>(e.HostsLackingJson) ?? [], e.FleetSize, e.ReferenceFleetSize),
        e.Removed, e.Remaining, e.New, e.Unreported, JsonSerializer.Deserialize<List<string>>(e.CarryingJson) ?? [], hosts);
}
