using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
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
    internal const int CarryingListed = 100;

    /// <summary>
    /// The most bytes a host row holds: 16 KiB, not the 56 KiB of a findings row (<see cref="TableJson.MaxBytes"/>),
    /// because every inventory reads its predecessor's diff back, and the table client reads a binary property
    /// through its base64 text and buffers each response whole, growing the buffer by doubling. Measured against
    /// Azurite, reading 3.6 MiB of rows (a 10M-row inventory's diff) allocated 90.7 MiB, 82.8 MiB of it on the
    /// large-object heap, as 56 KiB rows with the default page; as 16 KiB rows, <see cref="ReadPage"/> to a page,
    /// 20.7 MiB, none of it there, in about 0.3 s. Writing them costs the same either way (a transaction's body is
    /// sent entity by entity).
    /// </summary>
    internal const int RowBytes = 16 * 1024;

    /// <summary>Host rows a query page asks for: two 16 KiB rows are about 44 KB of response, which a 64 KiB buffer holds.</summary>
    internal const int ReadPage = 2;

    /// <summary>A transaction's body may not exceed 4 MiB; 16 rows of <see cref="RowBytes"/> as base64 are about 350 KB.</summary>
    internal const int RowsPerTransaction = 16;

    /// <summary>
    /// Transactions of host rows in flight at once: each carries up to <see cref="RowsPerTransaction"/> rows, and
    /// its request holds them again as base64 JSON, so this bounds the diff's write buffers whatever its size.
    /// </summary>
    internal const int TransactionsInFlight = 2;

    private readonly TableClient _table = storage.Tables.GetTableClient(StorageNames.HostDiffsTable);

    /// <summary>Stores a diff: host rows first, the summary last. Keys come from the data, so a retry rewrites the same rows.</summary>
    public async Task SaveAsync(string agency, SubmissionEntity submission, string? previousSubmissionId, InventoryCoverage coverage, IReadOnlyList<HostChange> changes, CancellationToken cancellationToken = default) =>
        await SaveAsync(agency, submission, previousSubmissionId, basisStamp: null, reference: null, IsInOrder(changes) ? changes : changes.Order(HostChange.ByHostname), _ => coverage, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Stores a diff as its changes stream past: each row is sent as it fills, with at most
    /// <see cref="TransactionsInFlight"/> transactions in flight, so the diff is never held whole. The coverage is
    /// assessed from the counts once every host row is written, and the summary goes last.
    /// </summary>
    /// <param name="changes">In <see cref="HostChange.ByHostname"/> order (checked), as <see cref="CoverageRule.Changes"/> gives them.</param>
    /// <param name="basisStamp">The <see cref="HostDiffEntity.Stamp"/> of the previous inventory's diff, as read for this one.</param>
    /// <param name="reference">The earlier inventory whose fleet the coverage was assessed against, with its diff's stamp as read.</param>
    /// <param name="assess">The inventory's coverage, from the diff's counts.</param>
    internal async Task<InventoryCoverage> SaveAsync(string agency, SubmissionEntity submission, string? previousSubmissionId, string? basisStamp, DiffReference? reference, IEnumerable<HostChange> changes, Func<DiffTally, InventoryCoverage> assess, CancellationToken cancellationToken)
    {
        // Each write has rows of its own generation, and the summary names the one it stands for, so two writers of one
        // diff (a duplicate delivery, two repairs) never mix their rows, and a reader reads one writer's whole diff.
        var existing = await GetSummaryAsync(agency, submission.SubmissionId, cancellationToken).ConfigureAwait(false);
        var generation = NewGeneration();
        var committed = false;
        try
        {
            // Rows are packed as the transactions ask for them: the two workers each take the next 16 when they are free,
            // so the diff is never held whole (Parallel.ForEachAsync reads its source under a lock, one worker at a time,
            // which also keeps the stamp's hash in row order).
            var tally = new DiffTally();
            var rows = 0;
            using var stamp = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var transactions = Pack(tally.Count(changes))
                .Select(utf8 =>
                {
                    stamp.AppendData(utf8);
                    stamp.AppendData([0]);
                    return new TableEntity(agency, ChunkKey(submission.SubmissionId, generation, rows++))
                    {
                        [nameof(HostChangeEntity.Changes)] = utf8, // plain entities holding the binary property alone: the legacy string property is never written
                    };
                })
                .Chunk(RowsPerTransaction);
            await Parallel.ForEachAsync(transactions, new ParallelOptions { MaxDegreeOfParallelism = TransactionsInFlight, CancellationToken = cancellationToken }, async (transaction, token) =>
                await _table.SubmitTransactionAsync(transaction.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token).ConfigureAwait(false)).ConfigureAwait(false);

            var coverage = assess(tally);
            var summary = new HostDiffEntity
            {
                PartitionKey = agency,
                RowKey = HostDiffEntity.Prefix + submission.SubmissionId,
                SubmissionId = submission.SubmissionId,
                BlobName = submission.BlobName,
                ReceivedAt = submission.ReceivedAt,
                PreviousSubmissionId = previousSubmissionId,
                BasisStamp = basisStamp,
                ReferenceSubmissionId = reference?.SubmissionId,
                ReferenceStamp = reference?.Stamp,
                Generation = generation,
                Coverage = coverage.Kind,
                HostsLacking = coverage.HostsLacking,
                HostsLackingJson = TableJson.Names(coverage.HostsLackingFirst),
                FleetSize = coverage.FleetSize,
                ReferenceFleetSize = coverage.ReferenceFleetSize,
                Removed = tally.Removed,
                Remaining = tally.Remaining,
                New = tally.New,
                Unreported = tally.Unreported,
                CarryingJson = TableJson.Names(tally.CarryingFirst),
            };
            summary.Stamp = StampOf(stamp, summary);

            // The summary replaces the one read first only if nobody replaced it meanwhile; the loser's rows go.
            try
            {
                if (existing is null)
                {
                    await _table.AddEntityAsync(summary, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _table.UpdateEntityAsync(summary, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // The client retries a request whose response was lost: the first attempt may have stored this very
                // summary, and the retry then meets it.
                if (!await NamesGenerationAsync(agency, submission.SubmissionId, generation).ConfigureAwait(false))
                {
                    throw new DiffConflictException(agency, submission.SubmissionId, e);
                }
            }

            committed = true;

            // Only the rows the replaced summary stood for: rows of a writer still at work are its own to keep or remove.
            // Best effort: the diff is stored, and rows no summary names are never read.
            await DeleteGenerationQuietlyAsync(agency, submission.SubmissionId, existing?.Generation ?? LegacyGeneration).ConfigureAwait(false);
            return coverage;
        }
        catch (Exception) when (!committed)
        {
            // Whatever stopped this write before its summary was known to be stored (a conflict, a failed request, a
            // change too large, cancellation), its rows are no one's, unless the summary was stored after all. A crash
            // leaves them under a generation no summary names: never read, and gone when the diff is deleted.
            if (!await NamesGenerationAsync(agency, submission.SubmissionId, generation).ConfigureAwait(false))
            {
                await DeleteGenerationQuietlyAsync(agency, submission.SubmissionId, generation).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Whether the stored summary names this generation; true when that cannot be told (its rows are then kept).</summary>
    private async Task<bool> NamesGenerationAsync(string agency, string submissionId, string generation)
    {
        try
        {
            return (await GetSummaryAsync(agency, submissionId, CancellationToken.None).ConfigureAwait(false))?.Generation == generation;
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or IOException or OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>
    /// The chained stamp: the host rows already hashed, then what the summary says of coverage, the basis, and the
    /// generation, so that every write has a stamp of its own: a diff read while it was replaced, or read from a writer
    /// whose result another equal one replaced, never passes for the diff that replaced it.
    /// </summary>
    private static string StampOf(IncrementalHash rows, HostDiffEntity summary)
    {
        rows.AppendData(Encoding.UTF8.GetBytes(string.Join('\n',
            summary.Generation, summary.PreviousSubmissionId, summary.BasisStamp, summary.Coverage, summary.HostsLacking, summary.HostsLackingJson,
            summary.FleetSize, summary.ReferenceFleetSize, summary.ReferenceSubmissionId, summary.ReferenceStamp)));
        return Convert.ToHexStringLower(rows.GetHashAndReset().AsSpan(0, 16));
    }

    /// <summary>
    /// The summaries of every diff of the agency (one per accepted inventory), with what says which inventory and which
    /// write each was computed from, and its coverage; not the hostnames they list.
    /// </summary>
    internal async Task<Dictionary<string, HostDiffEntity>> SummariesAsync(string agency, CancellationToken cancellationToken)
    {
        var summaries = new Dictionary<string, HostDiffEntity>(StringComparer.Ordinal);
        await foreach (var e in _table.QueryAsync<HostDiffEntity>(SummaryRange(agency), select: ChainColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            summaries[e.SubmissionId] = e;
        }

        return summaries;
    }

    private static readonly string[] ChainColumns =
    [
        nameof(HostDiffEntity.PartitionKey), nameof(HostDiffEntity.RowKey), nameof(HostDiffEntity.SubmissionId), nameof(HostDiffEntity.PreviousSubmissionId),
        nameof(HostDiffEntity.Stamp), nameof(HostDiffEntity.BasisStamp), nameof(HostDiffEntity.Generation), nameof(HostDiffEntity.LeftAgainst),
        nameof(HostDiffEntity.Coverage), nameof(HostDiffEntity.HostsLacking), nameof(HostDiffEntity.HostsLackingJson), nameof(HostDiffEntity.FleetSize),
        nameof(HostDiffEntity.ReferenceSubmissionId), nameof(HostDiffEntity.ReferenceStamp),
    ];

    /// <summary>
    /// Records that a stale diff could not be recomputed against <paramref name="against"/> (<see cref="HostDiffEntity.LeftAgainst"/>),
    /// unless its summary changed since it was read; false if it did.
    /// </summary>
    internal async Task<bool> LeaveAsync(HostDiffEntity summary, string against, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(new TableEntity(summary.PartitionKey, summary.RowKey) { [nameof(HostDiffEntity.LeftAgainst)] = against }, summary.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    private static string SummaryRange(string agency) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {agency} and RowKey gt {HostDiffEntity.Prefix} and RowKey lt {"d."}");

    /// <summary>Stands for the rows written before generations, <c>h-{submissionId}-{00000}</c>.</summary>
    private const string LegacyGeneration = "";

    /// <summary>Removes the rows of one generation of a diff (<see cref="LegacyGeneration"/>: the rows written before generations).</summary>
    private Task DeleteGenerationAsync(string agency, string submissionId, string generation, CancellationToken cancellationToken) =>
        DeleteRowsAsync(HostRange(agency, submissionId, generation), cancellationToken);

    /// <summary>Removes every row the filter selects, in transactions of <see cref="FindingStore.TransactionLimit"/>.</summary>
    private async Task DeleteRowsAsync(string filter, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(e);
        }

        foreach (var transaction in rows.Chunk(FindingStore.TransactionLimit))
        {
            await _table.SubmitTransactionAsync(transaction.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Best effort, after a failed write: the failure is what the caller hears about.</summary>
    private async Task DeleteGenerationQuietlyAsync(string agency, string submissionId, string generation)
    {
        try
        {
            await DeleteGenerationAsync(agency, submissionId, generation, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or IOException or OperationCanceledException or AggregateException)
        {
            // Left under a generation no summary names: never read.
        }
    }

    private static string NewGeneration() => "g" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The diff of the agency's latest accepted inventory, every host included; null before the first.</summary>
    public async Task<HostDiff?> GetLatestAsync(string agency, CancellationToken cancellationToken = default)
    {
        var summary = await LatestSummaryAsync(agency, cancellationToken).ConfigureAwait(false);
        return summary is null ? null : await WholeAsync(summary, cancellationToken).ConfigureAwait(false);
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
        return summary is null ? null : await WholeAsync(summary, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The hosts that still carry the product, with their products, as of the agency's latest accepted inventory.</summary>
    public async Task<IReadOnlyList<HostFindings>> CurrentFindingsByHostAsync(string agency, CancellationToken cancellationToken = default) =>
        (await GetLatestAsync(agency, cancellationToken).ConfigureAwait(false))?.Hosts.Where(h => h.Carrying).Select(h => new HostFindings(h.Hostname, h.Products)).ToArray() ?? [];

    /// <summary>Removes one submission's diff (the sweep, for a submission that never completed).</summary>
    public async Task DeleteAsync(string agency, string submissionId, CancellationToken cancellationToken = default)
    {
        await _table.DeleteEntityAsync(agency, HostDiffEntity.Prefix + submissionId, cancellationToken: cancellationToken).ConfigureAwait(false);
        await DeleteRowsAsync(AllHostRows(agency, submissionId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The diff with the rows of the generation its summary names. A rewrite that completes while they are read removes
    /// them: the summary is read again afterwards, and the rows of the new generation read if it changed.
    /// </summary>
    private async Task<HostDiff?> WholeAsync(HostDiffEntity summary, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var hosts = await HostsAsync(summary, cancellationToken).ConfigureAwait(false);
            var now = await GetSummaryAsync(summary.PartitionKey, summary.SubmissionId, cancellationToken).ConfigureAwait(false);
            if (now is null || now.Generation == summary.Generation || attempt == 3)
            {
                return now is null ? null : ToDiff(now.Generation == summary.Generation ? now : summary, hosts);
            }

            summary = now;
        }
    }

    /// <summary>The host rows of the generation the summary names.</summary>
    internal async Task<IReadOnlyList<HostChange>> HostsAsync(HostDiffEntity summary, CancellationToken cancellationToken)
    {
        var list = new List<HostChange>();
        await foreach (var e in _table.QueryAsync<HostChangeEntity>(HostRange(summary.PartitionKey, summary.SubmissionId, summary.Generation), maxPerPage: ReadPage, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var change in TableJson.Items<StoredChange>(e.Changes, e.ChangesJson, InventoryJson.Options))
            {
                list.Add(new HostChange(change.H, change.C, change.P));
            }
        }

        return list.OrderBy(c => c.Hostname, StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>
    /// Adds the hosts still carrying the product after an inventory (every change but <see cref="HostChangeKinds.Removed"/>)
    /// to <paramref name="into"/>, for the next inventory's coverage check. Read row by row without a change object per
    /// host: a product is one string however many hosts name it, and hosts with the same products share one list, so a
    /// host costs its name and an entry, and nothing once <paramref name="into"/> has written it to disk. Building every
    /// change first cost about 290 bytes a host.
    /// </summary>
    /// <param name="agency">The agency.</param>
    /// <param name="submissionId">The inventory.</param>
    /// <param name="into">Where the hosts go.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    internal async Task CarryingAsync(HostDiffEntity summary, HostRuns into, CancellationToken cancellationToken)
    {
        var reader = new CarryingReader(into);
        await foreach (var e in _table.QueryAsync<HostChangeEntity>(HostRange(summary.PartitionKey, summary.SubmissionId, summary.Generation), maxPerPage: ReadPage, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.Changes is { } utf8)
            {
                reader.Read(utf8);
            }
            else
            {
                foreach (var change in TableJson.Items<StoredChange>(null, e.ChangesJson, InventoryJson.Options))
                {
                    reader.Add(change.H, change.C, change.P);
                }
            }
        }
    }

    /// <summary>
    /// The changes, which come in <see cref="HostChange.ByHostname"/> order (checked as they pass), as UTF-8 JSON
    /// arrays of at most <see cref="RowBytes"/> - 1 bytes each. Each change is written as
    /// <see cref="StoredChange"/> serializes (tested), into buffers reused for every change and row: a 10M-row
    /// inventory has about 83,000 of them, and a serializer call per change allocated about 35 MB.
    /// </summary>
    /// <exception cref="ArgumentException">The changes are out of order.</exception>
    internal static IEnumerable<byte[]> Pack(IEnumerable<HostChange> changes)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = InventoryJsonWriter.Encoder });
        var row = new JsonRow(RowBytes);
        HostChange? last = null;
        foreach (var change in changes)
        {
            if (last is not null && HostChange.ByHostname.Compare(last, change) > 0)
            {
                throw new ArgumentException($"host changes must come in hostname order; '{last.Hostname}' came before '{change.Hostname}'", nameof(changes));
            }

            last = change;
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

            // A hostname is at most 512 characters (3 KB escaped) and the products a short list of catalog names, so one
            // change fits in an empty row; a catalog whose names break that is refused here rather than overrun the row.
            if (buffer.WrittenCount > row.MaxItemBytes)
            {
                throw new InvalidOperationException($"the host change of '{change.Hostname}' takes {buffer.WrittenCount} bytes, more than a host row holds ({RowBytes})");
            }

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
        HostDiffEntity? latest = null;
        await foreach (var e in _table.QueryAsync<HostDiffEntity>(SummaryRange(agency), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (latest is null || SubmissionOrder.Compare(e.ReceivedAt, e.BlobName, e.SubmissionId, latest.ReceivedAt, latest.BlobName, latest.SubmissionId) > 0)
            {
                latest = e;
            }
        }

        return latest;
    }

    /// <summary><c>h-{submissionId}-{generation}-{chunk, five digits}</c>; rows written before generations have none.</summary>
    private static string ChunkKey(string submissionId, string generation, int chunk) => $"{HostChangeEntity.Prefix}{submissionId}-{generation}-{chunk:D5}";

    /// <summary>
    /// The rows of one generation of a diff; null: the rows written before generations, <c>h-{submissionId}-{00000}</c>,
    /// whose keys continue with a digit where a generation's continue with <c>g</c>.
    /// </summary>
    private static string HostRange(string agency, string submissionId, string? generation) => string.IsNullOrEmpty(generation)
        ? TableClient.CreateQueryFilter($"PartitionKey eq {agency} and RowKey ge {$"{HostChangeEntity.Prefix}{submissionId}-0"} and RowKey lt {$"{HostChangeEntity.Prefix}{submissionId}-:"}")
        : TableClient.CreateQueryFilter($"PartitionKey eq {agency} and RowKey gt {$"{HostChangeEntity.Prefix}{submissionId}-{generation}-"} and RowKey lt {$"{HostChangeEntity.Prefix}{submissionId}-{generation}."}");

    /// <summary>Every host row of a diff, of every generation.</summary>
    private static string AllHostRows(string agency, string submissionId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {agency} and RowKey gt {$"{HostChangeEntity.Prefix}{submissionId}-"} and RowKey lt {$"{HostChangeEntity.Prefix}{submissionId}."}");

    /// <summary>One host change as stored: short names, since a row holds as many as fit.</summary>
    internal sealed record StoredChange(string H, string C, IReadOnlyList<string> P);

    private static HostDiff ToDiff(HostDiffEntity e, IReadOnlyList<HostChange> hosts) => new(
        e.PartitionKey, e.SubmissionId, e.BlobName, e.ReceivedAt, e.PreviousSubmissionId,
        new InventoryCoverage(e.Coverage, e.HostsLacking, JsonSerializer.Deserialize<List<string>>(e.HostsLackingJson) ?? [], e.FleetSize, e.ReferenceFleetSize),
        e.Removed, e.Remaining, e.New, e.Unreported, JsonSerializer.Deserialize<List<string>>(e.CarryingJson) ?? [], hosts);
}

/// <summary>What a diff counts, gathered as its changes stream past (<see cref="HostDiffStore"/>).</summary>
internal sealed class DiffTally
{
    public int Removed { get; private set; }

    public int Remaining { get; private set; }

    public int New { get; private set; }

    public int Unreported { get; private set; }

    /// <summary>The first hosts still carrying the product, in the order they came.</summary>
    public List<string> CarryingFirst { get; } = [];

    /// <summary>The first unreported hosts, in the order they came (the coverage rule names them).</summary>
    public List<string> LackingFirst { get; } = [];

    public IEnumerable<HostChange> Count(IEnumerable<HostChange> changes)
    {
        foreach (var change in changes)
        {
            switch (change.Change)
            {
                case HostChangeKinds.Removed:
                    Removed++;
                    break;
                case HostChangeKinds.Remaining:
                    Remaining++;
                    break;
                case HostChangeKinds.New:
                    New++;
                    break;
                case HostChangeKinds.Unreported:
                    Unreported++;
                    if (LackingFirst.Count < CoverageRule.HostsListed)
                    {
                        LackingFirst.Add(change.Hostname);
                    }

                    break;
            }

            if (change.Carrying && CarryingFirst.Count < HostDiffStore.CarryingListed)
            {
                CarryingFirst.Add(change.Hostname);
            }

            yield return change;
        }
    }
}

/// <summary>
/// Reads stored host rows into the hosts still carrying the product, sharing product strings and product lists
/// (<see cref="HostDiffStore.CarryingAsync"/>). Reads each row's JSON with <see cref="Utf8JsonReader"/>, whatever the
/// order of an item's properties; an item without a hostname is skipped.
/// </summary>
internal sealed class CarryingReader(HostRuns into)
{
    private readonly List<string> _products = [];
    private readonly List<string[]> _combinations = [];
    private readonly List<string> _scratch = [];

    public void Read(byte[] utf8)
    {
        var json = new Utf8JsonReader(utf8);
        Expect(ref json, JsonTokenType.StartArray);
        while (Next(ref json) == JsonTokenType.StartObject)
        {
            string? hostname = null;
            var removed = false;
            _scratch.Clear();
            while (Next(ref json) == JsonTokenType.PropertyName)
            {
                if (json.ValueTextEquals("h"u8))
                {
                    Expect(ref json, JsonTokenType.String);
                    hostname = json.GetString();
                }
                else if (json.ValueTextEquals("c"u8))
                {
                    Expect(ref json, JsonTokenType.String);
                    removed = json.ValueTextEquals(HostChangeKinds.Removed);
                }
                else if (json.ValueTextEquals("p"u8))
                {
                    Expect(ref json, JsonTokenType.StartArray);
                    while (Next(ref json) == JsonTokenType.String)
                    {
                        _scratch.Add(Product(ref json));
                    }
                }
                else
                {
                    json.Read();
                    json.Skip();
                }
            }

            if (hostname is not null && !removed)
            {
                into.Add(hostname, Combination(_scratch));
            }
        }
    }

    /// <summary>A change from a row stored as a string (before 2026-12-06).</summary>
    public void Add(string hostname, string change, IReadOnlyList<string> products)
    {
        if (change != HostChangeKinds.Removed)
        {
            _scratch.Clear();
            _scratch.AddRange(products.Select(Intern));
            into.Add(hostname, Combination(_scratch));
        }
    }

    /// <summary>The product at the reader, as the one string kept for it (a catalog names a handful).</summary>
    private string Product(ref Utf8JsonReader json)
    {
        foreach (var known in _products)
        {
            if (json.ValueTextEquals(known))
            {
                return known;
            }
        }

        return Intern(json.GetString()!);
    }

    /// <summary>The one string kept for this product, added the first time it is met.</summary>
    private string Intern(string product)
    {
        var known = _products.Find(p => p == product);
        if (known is null)
        {
            _products.Add(product);
        }

        return known ?? product;
    }

    /// <summary>The shared list of these products (each already the one string kept for it, so compared by reference).</summary>
    private string[] Combination(List<string> products)
    {
        foreach (var combination in _combinations)
        {
            if (combination.Length == products.Count && combination.AsSpan().SequenceEqual(CollectionsMarshal.AsSpan(products), ReferenceEqualityComparer.Instance))
            {
                return combination;
            }
        }

        string[] added = [.. products];
        _combinations.Add(added);
        return added;
    }

    private static JsonTokenType Next(ref Utf8JsonReader json) =>
        json.Read() ? json.TokenType : throw new JsonException("a host row ends early");

    private static void Expect(ref Utf8JsonReader json, JsonTokenType type)
    {
        if (Next(ref json) != type)
        {
            throw new JsonException($"a host row has {json.TokenType} where {type} belongs");
        }
    }
}

/// <summary>Another writer replaced the diff's summary between this write's read of it and its own: this write's rows are gone.</summary>
public sealed class DiffConflictException(string agency, string submissionId, Exception inner)
    : Exception($"the host diff of submission {submissionId} for {agency} was written by another writer meanwhile", inner);

/// <summary>The earlier inventory a coverage was assessed against (the last full one with a fleet size), and its diff's stamp.</summary>
public sealed record DiffReference(string SubmissionId, string? Stamp);
