using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using KDirective.Inventory;
using KDirective.Storage;
using Microsoft.Extensions.Logging;

namespace KDirective.Ingestion;

/// <summary>
/// Recomputes the host diffs that an inventory completed out of order made stale. A diff compares an inventory with
/// the previous accepted one that had completed when it was processed. When an inventory received earlier completes
/// later (a retried delivery, two uploads processed at once, a sweep), every diff after it in
/// <see cref="SubmissionOrder"/> was computed against the wrong inventory, and since the hosts still carrying the
/// product carry forward from diff to diff, so was every one after that.
/// <para>
/// Each diff records the previous inventory and that inventory's <see cref="HostDiffEntity.Stamp"/> as it was read;
/// the stamps are chained, so a diff is stale exactly when either no longer matches. After an accepted inventory
/// completes, its agency's diffs are checked in order and the first stale one is recomputed, until none is: a diff's
/// host list is the stored findings of its inventory, and the hosts it listed come from reading its blob version again
/// (they are not stored). Every writer checks again after its own last write, so concurrent completions end with every
/// diff consistent, whichever writes last.
/// </para>
/// <para>
/// The result blob and the receipt of a recomputed inventory keep what was computed when it was processed; the diff,
/// the submission's coverage, and so the status, the dashboard and the milestones, change.
/// </para>
/// </summary>
public sealed class DiffRepair(
    StorageConnection storage,
    SubmissionStore submissions,
    FindingStore findings,
    HostDiffStore diffs,
    CoverageService coverage,
    InventoryReader reader,
    ILogger<DiffRepair> logger)
{
    /// <summary>Checks and recomputations in one call: far more than an agency's inventories after a late one.</summary>
    internal const int MaxPasses = 50;

    /// <summary>Recomputes the agency's stale diffs, oldest first.</summary>
    /// <returns>The inventories whose diff or coverage was rewritten, in the order they were.</returns>
    public async Task<IReadOnlyList<string>> RepairAsync(string agency, CancellationToken cancellationToken = default)
    {
        var repaired = new List<string>();
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var inventories = (await submissions.ListAsync(agency, SubmissionKinds.Inventory, cancellationToken).ConfigureAwait(false))
                .Where(s => s.IsAccepted).ToArray();
            var summaries = await diffs.SummariesAsync(agency, cancellationToken).ConfigureAwait(false);
            if (FirstStale(inventories, summaries) is not var (submission, summary, against))
            {
                return repaired;
            }

            if (against is null)
            {
                // The diff was rewritten and the submission not yet (a crash between the two): the diff is the record.
                CopyCoverage(summary, submission);
                if (await submissions.ReplaceIfUnchangedAsync(submission, cancellationToken).ConfigureAwait(false))
                {
                    repaired.Add(submission.SubmissionId);
                    logger.CoverageCopied(submission.SubmissionId, agency);
                }

                continue;
            }

            string? reason;
            try
            {
                reason = await RecomputeAsync(submission, cancellationToken).ConfigureAwait(false);
            }
            catch (DiffConflictException)
            {
                continue; // other writers stored it meanwhile, three times over: look again
            }

            if (reason is not null)
            {
                // Left as it is while what it was checked against stays the same, so the diffs after it are still checked.
                if (await diffs.LeaveAsync(summary, against, cancellationToken).ConfigureAwait(false))
                {
                    logger.DiffLeftStale(submission.SubmissionId, agency, LogSafe.Of(reason));
                }

                continue;
            }

            repaired.Add(submission.SubmissionId);
            logger.DiffRecomputed(submission.SubmissionId, agency);
        }

        logger.DiffRepairUnfinished(agency, MaxPasses);
        return repaired;
    }

    /// <summary>
    /// The first inventory, in order, whose diff was computed against another inventory or another write of the
    /// previous one's diff, or against another reference fleet (returned with <c>Against</c>: the previous inventory,
    /// its stamp, the reference inventory and its stamp it should have been computed against), or whose submission
    /// disagrees with its diff about coverage (<c>Against</c> null). A diff left as it was against those same four is
    /// passed over, as are inventories without a diff (stored before diffs existed).
    /// </summary>
    internal static (SubmissionEntity Submission, HostDiffEntity Summary, string? Against)? FirstStale(IReadOnlyList<SubmissionEntity> inventories, IReadOnlyDictionary<string, HostDiffEntity> summaries)
    {
        for (var i = 0; i < inventories.Count; i++)
        {
            var s = inventories[i];
            if (!summaries.TryGetValue(s.SubmissionId, out var summary))
            {
                continue;
            }

            var previous = i == 0 ? null : inventories[i - 1].SubmissionId;
            var previousStamp = previous is null ? null : summaries.GetValueOrDefault(previous)?.Stamp;

            // Its coverage also depends on the reference fleet, which may be further back than the previous inventory
            // (checked on diffs that record it: those stored since generations).
            var (reference, _) = CoverageService.ReferenceOf(inventories.Take(i), summaries);
            var referenceChanged = summary.Generation is not null
                && (summary.ReferenceSubmissionId, summary.ReferenceStamp) != (reference?.SubmissionId, reference?.Stamp);
            var against = $"{previous}|{previousStamp}|{reference?.SubmissionId}|{reference?.Stamp}";
            if ((summary.PreviousSubmissionId != previous || summary.BasisStamp != previousStamp || referenceChanged) && summary.LeftAgainst != against)
            {
                return (s, summary, against);
            }

            if ((s.Coverage, s.HostsLacking, s.HostsLackingJson, s.FleetSize) != (summary.Coverage, summary.HostsLacking, summary.HostsLackingJson, summary.FleetSize))
            {
                return (s, summary, null);
            }
        }

        return null;
    }

    /// <returns>Null once recomputed; otherwise why it cannot be (its blob version is gone, the reader refuses it now, its stored findings are unreadable).</returns>
    private async Task<string?> RecomputeAsync(SubmissionEntity submission, CancellationToken cancellationToken)
    {
        if (await OpenAsync(submission, cancellationToken).ConfigureAwait(false) is not var (blob, etag))
        {
            return "its blob version is gone";
        }

        using var fleet = new FleetOnly();
        InventoryReport report;
        try
        {
            report = await reader.ReadAsync(new BlobInventorySource(blob, etag), fleet, keepMatches: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 403 or 404 or 409 or 412 or 416)
        {
            // The blob version cannot be read, and will not be on a retry (deleted meanwhile, archived, refused).
            return $"its blob could not be read again ({e.Status} {e.ErrorCode})";
        }

        try
        {
            if (!report.Accepted)
            {
                return $"read again, it was refused: {report.Error}";
            }

            // The hosts with banned products are the findings stored when it was accepted, not a new match of its rows.
            using var found = new HostRuns();
            foreach (var host in await findings.HostFindingsAsync(submission.Agency, submission.SubmissionId, cancellationToken).ConfigureAwait(false))
            {
                found.Add(host.Hostname, [.. host.Products]);
            }

            var assessed = await coverage.AssessAsync(submission, report.EndpointsScanned is not null, found, fleet.Hosts, fleet.LargestCount, prior: null, cancellationToken).ConfigureAwait(false);
            submission.TakeCoverage(assessed);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException || (e is InvalidOperationException && e is not ObjectDisposedException))
        {
            // What will fail the same way every time (stored findings that do not parse, a change too large for a row).
            // Other storage and network failures are not caught: the delivery, or the next sweep, tries again.
            return $"{e.GetType().Name}: {e.Message}";
        }

        // A conflict means another repair wrote it meanwhile; the next pass compares it with its diff again either way.
        await submissions.ReplaceIfUnchangedAsync(submission, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static void CopyCoverage(HostDiffEntity summary, SubmissionEntity submission) =>
        (submission.Coverage, submission.HostsLacking, submission.HostsLackingJson, submission.FleetSize) =
            (summary.Coverage, summary.HostsLacking, summary.HostsLackingJson, summary.FleetSize);

    /// <summary>
    /// The blob version the submission was made from: the blob itself while it still holds it, else that version
    /// (the data account keeps versions); null when neither exists any more.
    /// </summary>
    private async Task<(BlobClient Blob, ETag ETag)?> OpenAsync(SubmissionEntity submission, CancellationToken cancellationToken)
    {
        var blob = storage.Blobs.GetBlobContainerClient(submission.Container).GetBlobClient(submission.BlobName);
        try
        {
            BlobProperties current = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if ((current.VersionId ?? current.ETag.ToString()) == submission.BlobVersion)
            {
                return (blob, current.ETag);
            }

            if (current.VersionId is null)
            {
                return null; // no versioning (the emulator): the upload was overwritten
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Deleted since; with versioning its versions remain.
        }

        try
        {
            var version = blob.WithVersion(submission.BlobVersion);
            BlobProperties properties = await version.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return (version, properties.ETag);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            return null;
        }
    }

    /// <summary>Keeps what the reader saw of the fleet and nothing of the matches (the stored findings are used).</summary>
    private sealed class FleetOnly : IMatchSink, IFleetSink, IDisposable
    {
        public FleetKeys Hosts { get; private set; } = new();

        public long LargestCount { get; private set; }

        public ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Fleet(FleetKeys hostKeys, long largestCount)
        {
            Hosts.Dispose();
            (Hosts, LargestCount) = (hostKeys, largestCount);
        }

        public void Dispose() => Hosts.Dispose();
    }
}
