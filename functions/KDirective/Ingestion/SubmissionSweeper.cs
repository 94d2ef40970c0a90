using Azure;
using Azure.Storage.Blobs.Models;
using KDirective.Agencies;
using KDirective.Storage;
using Microsoft.Extensions.Logging;

namespace KDirective.Ingestion;

/// <summary>
/// Finishes what a crash left: a submission still processing an hour after it started is completed by processing
/// its blob again when that version is still the blob's, and otherwise (re-uploaded or deleted since) removed with
/// its findings and host diff. Nothing read findings of an incomplete submission, so removing one changes no status.
/// Then it checks every registered agency's host diffs (<see cref="DiffRepair"/>): ingestion does after every accepted
/// inventory, and a delivery whose check failed is retried, but a check that failed every retry is caught here.
/// </summary>
public sealed class SubmissionSweeper(
    StorageConnection storage,
    SubmissionStore submissions,
    FindingStore findings,
    HostDiffStore diffs,
    IngestionService ingestion,
    AgencyRegistry agencies,
    DiffRepair repair,
    TimeProvider time,
    ILogger<SubmissionSweeper> logger)
{
    /// <summary>Far longer than any real processing (a 1M-row file takes seconds; the Functions timeout is 30 minutes).</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromHours(1);

    public async Task<SweepResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - StuckAfter;
        var result = new SweepResult([], [], [], [], []);
        foreach (var stuck in await submissions.ListProcessingAsync(cancellationToken).ConfigureAwait(false))
        {
            if ((stuck.StartedAt ?? stuck.Timestamp) is not { } started || started > cutoff)
            {
                continue;
            }

            var swept = new SweptSubmission(stuck.Agency, stuck.SubmissionId, LogSafe.Of(stuck.BlobName), started);
            try
            {
                if (await IsCurrentVersionAsync(stuck, cancellationToken).ConfigureAwait(false))
                {
                    var blob = storage.Blobs.GetBlobContainerClient(stuck.Container).GetBlobClient(stuck.BlobName);
                    await ingestion.IngestAsync(blob, stuck.ReceivedAt, cancellationToken).ConfigureAwait(false);
                    result.Completed.Add(swept);
                    logger.SweptCompleted(stuck.SubmissionId, stuck.Agency);
                }
                else
                {
                    await findings.DeleteSubmissionAsync(stuck.Agency, stuck.SubmissionId, cancellationToken).ConfigureAwait(false);
                    await diffs.DeleteAsync(stuck.Agency, stuck.SubmissionId, cancellationToken).ConfigureAwait(false);
                    await submissions.DeleteIfUnchangedAsync(stuck, cancellationToken).ConfigureAwait(false);
                    result.Removed.Add(swept);
                    logger.SweptRemoved(stuck.SubmissionId, stuck.Agency);
                }
            }
            catch (Exception e) when (e is RequestFailedException or DiffConflictException or HttpRequestException or IOException)
            {
                // The next sweep tries again; one bad blob never stops the others.
                result.Failed.Add(swept);
                logger.SweepFailed(stuck.SubmissionId, stuck.Agency, (e as RequestFailedException)?.Status ?? 0, LogSafe.Of((e as RequestFailedException)?.ErrorCode ?? e.GetType().Name));
            }
        }

        foreach (var agency in await agencies.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                foreach (var submissionId in await repair.RepairAsync(agency.Id, cancellationToken).ConfigureAwait(false))
                {
                    result.Recomputed.Add(new RecomputedDiff(agency.Id, submissionId));
                }
            }
            catch (Exception e) when (e is RequestFailedException or DiffConflictException or HttpRequestException or IOException)
            {
                result.ChecksFailed.Add(agency.Id);
                logger.DiffCheckFailed(agency.Id, (e as RequestFailedException)?.Status ?? 0, LogSafe.Of((e as RequestFailedException)?.ErrorCode ?? e.GetType().Name));
            }
        }

        return result;
    }

    /// <summary>The blob still holds the version the submission was processing (the same id ingestion derives).</summary>
    private async Task<bool> IsCurrentVersionAsync(SubmissionEntity stuck, CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties properties = await storage.Blobs.GetBlobContainerClient(stuck.Container).GetBlobClient(stuck.BlobName)
                .GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return (properties.VersionId ?? properties.ETag.ToString()) == stuck.BlobVersion;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }
}

/// <summary>
/// What one sweep did: stuck submissions completed, removed or failed; diffs recomputed, and agencies whose diffs could
/// not be checked. Blob names are made log- and terminal-safe.
/// </summary>
public sealed record SweepResult(List<SweptSubmission> Completed, List<SweptSubmission> Removed, List<SweptSubmission> Failed, List<RecomputedDiff> Recomputed, List<string> ChecksFailed);

/// <summary>An inventory whose host diff (or coverage) a sweep recomputed.</summary>
public sealed record RecomputedDiff(string Agency, string SubmissionId);

public sealed record SweptSubmission(string Agency, string SubmissionId, string BlobName, DateTimeOffset StartedAt);
