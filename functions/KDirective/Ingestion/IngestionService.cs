using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using KDirective.Agencies;
using KDirective.Inventory;
using KDirective.Storage;
using Microsoft.Extensions.Logging;

namespace KDirective.Ingestion;

/// <summary>
/// Turns one uploaded inventory blob into a submission record, per-endpoint findings, a result blob for the
/// uploader and, when accepted, the agency's status. Every step is idempotent and keyed by the blob's version,
/// so at-least-once, duplicated, concurrent or reordered deliveries all end in the state of one processing.
/// Order matters for crash safety: findings, then the result blob, then the submission is marked complete,
/// then the status changes. Nothing counts findings of a submission that is not complete.
/// </summary>
public sealed class IngestionService(
    StorageConnection storage,
    AgencyRegistry agencies,
    SubmissionStore submissions,
    FindingStore findings,
    StatusStore statuses,
    CoverageService coverage,
    DiffRepair repair,
    InventoryReader reader,
    TimeProvider time,
    ILogger<IngestionService> logger,
    IEnumerable<ISubmissionObserver> observers,
    IngestionTimings? timings = null)
{
    private const int RejectionsKept = 20;

    /// <summary>Each is up to 200 characters of the line, so fewer are kept than rejections: the JSON stays far below a property's 32K characters.</summary>
    private const int PossibleFindingsKept = 10;

    /// <param name="blob">The uploaded blob, under <c>{container}/{agency}/{name}</c>.</param>
    /// <param name="receivedAtOverride">
    /// Simulations only (<c>kdirective ingest --received-at</c>): the time to record instead of the blob's. The blob
    /// trigger never passes it, so an agency cannot backdate an upload.
    /// </param>
    /// <param name="cancellationToken">Cancels the processing; a retry completes it.</param>
    public async Task<IngestionResult> IngestAsync(BlobClient blob, DateTimeOffset? receivedAtOverride = null, CancellationToken cancellationToken = default)
    {
        timings?.Start();
        var path = BlobPath.Parse(blob.BlobContainerName, blob.Name);
        var registered = path.Agency is { } id ? agencies.FindAsync(id, cancellationToken) : Task.FromResult<Agency?>(null);
        BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var version = properties.VersionId ?? properties.ETag.ToString();
        var submissionId = Storage.TableKeys.Hash(path.Container, path.BlobName, version);
        var agency = await registered.ConfigureAwait(false);
        var partition = agency?.Id ?? SubmissionEntity.UnassignedPartition;
        var resultName = path.ResultBlobName(submissionId);

        var existing = await submissions.FindAsync(partition, submissionId, cancellationToken).ConfigureAwait(false);
        if (existing is { State: SubmissionEntity.Complete })
        {
            // A redelivery. The crash may have come after completing but before the status changed: re-apply.
            await statuses.ApplyAsync(existing, cancellationToken).ConfigureAwait(false);
            await RepairAfterAsync(existing, cancellationToken).ConfigureAwait(false);
            logger.AlreadyProcessed(submissionId, LogSafe.Of(blob.Name));
            return new IngestionResult(existing, null, AlreadyProcessed: true, resultName);
        }

        var submission = new SubmissionEntity
        {
            PartitionKey = partition,
            RowKey = submissionId,
            Kind = path.Container == StorageNames.PlansContainer ? SubmissionKinds.Plan : SubmissionKinds.Inventory,
            Container = path.Container,
            BlobName = path.BlobName,
            BlobVersion = version,
            ReceivedAt = receivedAtOverride ?? properties.LastModified,
            SizeBytes = properties.ContentLength,
            StartedAt = time.GetUtcNow(),
        };
        await submissions.MarkProcessingAsync(submission, cancellationToken).ConfigureAwait(false);
        timings?.Lap("submission: look-up, mark processing");

        // The coverage check's look-up of the previous inventory's hosts runs while the file is read (it checks it is
        // still current). That inventory's counts size the sets this one fills, so they do not grow (and copy) as it is read.
        var earlier = agency is not null && submission.Kind == SubmissionKinds.Inventory ? await coverage.EarlierOrNullAsync(submission, cancellationToken).ConfigureAwait(false) : null;
        var previous = earlier?.LastOrDefault();
        var prior = earlier is null ? null : coverage.PriorAsync(submission.Agency, previous, cancellationToken);
        var writer = new FindingWriter(findings, partition, submissionId, timings, expected: Hint(previous?.FindingRows));
        InventoryReport report;
        InventoryCoverage? assessed = null;
        try
        {
            using var sink = new CoverageSink(writer, expectedHosts: Hint(previous?.EndpointsAffected));
            report = agency is null
                ? Rejected(path, path.Agency is null ? RejectionForPath(path) : $"'{path.Agency}' is not a registered agency; upload under your agency's folder")
                : submission.Kind == SubmissionKinds.Plan
                    ? PlanCheck(path, properties.ContentLength)
                    : await reader.ReadAsync(new BlobInventorySource(blob, properties.ETag), sink, keepMatches: false, cancellationToken).ConfigureAwait(false);
            timings?.Lap("read + match, findings sent meanwhile");

            if (report.Accepted)
            {
                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Rejected whole, possibly after some findings were stored (say, binary data at line 500,000).
                await writer.DiscardAsync(cancellationToken).ConfigureAwait(false);
            }

            timings?.Lap("findings: last writes");
            Fill(submission, report, writer.Count);
            if (report.Accepted && submission.Kind == SubmissionKinds.Inventory)
            {
                assessed = await coverage.AssessAsync(submission, report.EndpointsScanned is not null, sink.Found, sink.Hosts, sink.LargestCount, prior, cancellationToken).ConfigureAwait(false);
                submission.TakeCoverage(assessed);
                timings?.Lap("coverage and host diff");
            }
        }
        finally
        {
            // The affected hosts on both sides may be in temporary files: they go now, not when the finalizer runs.
            await PriorInventory.ReleaseAsync(prior).ConfigureAwait(false);
        }

        await storage.Blobs.GetBlobContainerClient(StorageNames.ResultsContainer).GetBlobClient(resultName)
            .UploadAsync(ResultDocument.Create(submission, report, assessed), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken)
            .ConfigureAwait(false);
        timings?.Lap("result blob");
        await submissions.CompleteAsync(submission, cancellationToken).ConfigureAwait(false);
        await statuses.ApplyAsync(submission, cancellationToken).ConfigureAwait(false);
        timings?.Lap("submission complete, status");

        if (!report.Accepted)
        {
            logger.Rejected(LogSafe.Of(blob.Name), LogSafe.Of(report.Error));
        }

        logger.Processed(submissionId, partition, LogSafe.Of(blob.Name), submission.Outcome, report.RowsRead, report.RowsRejected, report.EndpointsAffected);
        if (report.PossibleFindingCount > 0)
        {
            logger.PossibleFindings(submissionId, partition, LogSafe.Of(blob.Name), report.PossibleFindingCount);
        }

        foreach (var observer in observers)
        {
            await observer.OnProcessedAsync(submission, report, agency, cancellationToken).ConfigureAwait(false);
        }

        timings?.Lap("receipt");

        // Last, after the receipt: a failure here fails the delivery, and its retry finds the submission complete and
        // comes straight back here.
        await RepairAfterAsync(submission, cancellationToken).ConfigureAwait(false);
        timings?.Lap("later diffs checked");

        return new IngestionResult(submission, report, AlreadyProcessed: false, resultName, assessed);
    }

    /// <summary>
    /// An accepted inventory may have completed after inventories received after it: their diffs compared them with
    /// the one before it, and are recomputed (<see cref="DiffRepair"/>).
    /// </summary>
    private async Task RepairAfterAsync(SubmissionEntity submission, CancellationToken cancellationToken)
    {
        if (submission is { IsAccepted: true, Kind: SubmissionKinds.Inventory } && submission.PartitionKey != SubmissionEntity.UnassignedPartition)
        {
            await repair.RepairAsync(submission.Agency, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A stored count as a size hint: at most a million, whatever the row says.</summary>
    private static int Hint(long? count) => (int)Math.Clamp(count ?? 0, 0, 1_000_000);

    private void Fill(SubmissionEntity submission, InventoryReport report, int findingRows)
    {
        submission.State = SubmissionEntity.Complete;
        submission.Outcome = report.Accepted ? SubmissionOutcomes.Accepted : SubmissionOutcomes.Rejected;
        submission.Error = report.Error;
        submission.Format = report.Format;
        submission.Encoding = report.Encoding;
        submission.RowsRead = report.RowsRead;
        submission.RowsRejected = report.RowsRejected;
        submission.RejectionsJson = TableJson.Serialize(report.Rejections.Take(RejectionsKept).Select(r => new InventoryJson.RejectionDto(r.Line, r.Reason)));
        submission.PossibleFindingCount = report.PossibleFindingCount;
        submission.PossibleFindingsJson = TableJson.Serialize(report.PossibleFindings.Take(PossibleFindingsKept).Select(p => new InventoryJson.PossibleFindingDto(p.Line, p.Product, p.Text)));
        (submission.FindingsJson, submission.FindingsTruncated) = TableJson.Findings(report.Findings);
        submission.EndpointsScanned = report.EndpointsScanned;
        submission.EndpointsAffected = report.EndpointsAffected;
        submission.FindingRows = findingRows;
        submission.ProcessedAt = time.GetUtcNow();
    }

    private static string RejectionForPath(BlobPath path) =>
        path.BlobName.Contains('/', StringComparison.Ordinal)
            ? "the upload's folder is not an agency id (2-32 lowercase letters, digits and hyphens)"
            : $"the upload is not in an agency folder; upload it as {path.Container}/<agency>/{path.Name}";

    /// <summary>A removal plan may be any document; it is only checked for size.</summary>
    private static InventoryReport PlanCheck(BlobPath path, long size) =>
        size == 0 ? Rejected(path, "the plan document is empty")
        : size > MaxPlanBytes ? Rejected(path, $"the plan document is larger than {MaxPlanBytes / 1024 / 1024} MiB")
        : new InventoryReport(path.BlobName, "plan", null, null, true, null, 0, 0, [], null, null, [], []);

    public const long MaxPlanBytes = 50L * 1024 * 1024;

    private static InventoryReport Rejected(BlobPath path, string reason) =>
        new(path.BlobName, null, null, null, false, reason, 0, 0, [], null, null, [], []);
}

/// <summary>Told about every processed submission (receipts are sent from here).</summary>
public interface ISubmissionObserver
{
    Task OnProcessedAsync(SubmissionEntity submission, InventoryReport report, Agency? agency, CancellationToken cancellationToken);
}
