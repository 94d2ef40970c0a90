using KDirective.Directive;
using KDirective.Inventory;
using Microsoft.Extensions.Options;

namespace KDirective.Ingestion;

/// <summary>
/// Compares an accepted inventory with the agency's previous accepted one, host by host, stores the diff, and says
/// whether it covers enough to close removal (<see cref="CoverageRule"/>). Runs after the inventory's findings are
/// stored and before its submission completes, so a retry recomputes and rewrites the same rows.
/// </summary>
public sealed class CoverageService(SubmissionStore submissions, FindingStore findings, HostDiffStore diffs, IOptions<DirectiveOptions> options)
{
    /// <summary>
    /// The agency's accepted inventories before this one, looked up before the file is read: the last one's sizes are
    /// a hint for the sets ingestion fills (a monthly inventory has about as many hosts and findings as the one before),
    /// and <see cref="PriorAsync"/> starts from it. Null when the look-up fails: a hint, never an error, and the check
    /// lists them again.
    /// </summary>
    internal async Task<SubmissionEntity[]?> EarlierOrNullAsync(SubmissionEntity submission, CancellationToken cancellationToken)
    {
        try
        {
            return await EarlierAsync(submission, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Looks up, while the file is still being read, what <see cref="AssessAsync"/> will compare it with: the hosts still
    /// carrying the product after the agency's previous accepted inventory. Reading that diff back was a third of the
    /// check at 8,000 hosts. It is only a head start: the check lists the submissions again and uses it only if the
    /// previous inventory is still the same one. A failure here is left for the check to meet again.
    /// </summary>
    /// <param name="agency">The agency.</param>
    /// <param name="previous">The last of <see cref="EarlierOrNullAsync"/>; null when there is none.</param>
    /// <param name="cancellationToken">Stops the look-up.</param>
    internal async Task<PriorInventory?> PriorAsync(string agency, SubmissionEntity? previous, CancellationToken cancellationToken)
    {
        try
        {
            return previous is null
                ? new PriorInventory(null, new HostRuns(), null)
                : await CarryingAfterAsync(agency, previous.SubmissionId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or IOException)
        {
            return null;
        }
    }

    /// <param name="submission">The inventory, accepted and not yet complete.</param>
    /// <param name="perHost">The inventory lists hosts (not an aggregated export).</param>
    /// <param name="found">Its hosts with banned products, as the reader passed them to the finding writer.</param>
    /// <param name="listed">The keys of every host it lists.</param>
    /// <param name="largestCount">The largest endpoint count of a row without a host.</param>
    /// <param name="prior">What <see cref="PriorAsync"/> found while the file was read, if it was started; the caller disposes it.</param>
    /// <param name="cancellationToken">Stops the check; a retry recomputes it.</param>
    internal async Task<InventoryCoverage> AssessAsync(SubmissionEntity submission, bool perHost, HostRuns found, FleetKeys listed, long largestCount, Task<PriorInventory?>? prior, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AssessOnceAsync(submission, perHost, found, listed, largestCount, attempt == 1 ? prior : null, cancellationToken).ConfigureAwait(false);
            }
            catch (DiffConflictException) when (attempt < MaxAttempts)
            {
                // Another writer stored this diff meanwhile (a twin delivery, a repair): compute it again from what is
                // stored now; the look-up made during the read is not used twice.
            }
        }
    }

    /// <summary>Writes of one diff that another writer may replace before it gives up (the delivery is then retried).</summary>
    internal const int MaxAttempts = 3;

    private async Task<InventoryCoverage> AssessOnceAsync(SubmissionEntity submission, bool perHost, HostRuns found, FleetKeys listed, long largestCount, Task<PriorInventory?>? prior, CancellationToken cancellationToken)
    {
        var agency = submission.Agency;
        var earlier = await EarlierAsync(submission, cancellationToken).ConfigureAwait(false);
        var previous = earlier.LastOrDefault();
        var early = prior is null ? null : await prior.ConfigureAwait(false);
        using var read = early is not null && early.SubmissionId == previous?.SubmissionId ? null
            : previous is null ? new PriorInventory(null, new HostRuns(), null)
            : await CarryingAfterAsync(agency, previous.SubmissionId, cancellationToken).ConfigureAwait(false);
        var basis = read ?? early!;
        var before = basis.Carrying;

        var summaries = earlier.Length == 0 ? new Dictionary<string, HostDiffEntity>() : await diffs.SummariesAsync(agency, cancellationToken).ConfigureAwait(false);
        var (reference, referenceFleet) = ReferenceOf(earlier, summaries);
        var fleet = Math.Max(largestCount, listed.Count);
        var listedBefore = listed.Among(KeysOf(before));
        return await diffs.SaveAsync(agency, submission, previous?.SubmissionId, basis.Stamp, reference, CoverageRule.Changes(before.Sorted(), found.Sorted(), listedBefore.Contains),
            tally => CoverageRule.Assess(perHost, tally.Unreported, tally.LackingFirst, fleet, referenceFleet, options.Value.MinCoverage),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The reference fleet: the last earlier inventory that was not partial and has a fleet size. Its coverage is taken
    /// from its diff, which is written before its submission, so a recomputed diff whose submission is not yet updated
    /// already counts. <see cref="DiffRepair"/> checks a diff's reference with the same rule.
    /// </summary>
    internal static (DiffReference? Reference, long? Fleet) ReferenceOf(IEnumerable<SubmissionEntity> earlier, IReadOnlyDictionary<string, HostDiffEntity> summaries)
    {
        var (id, stamp, fleet) = earlier
            .Select(s => summaries.TryGetValue(s.SubmissionId, out var d)
                ? (Id: s.SubmissionId, Stamp: d.Stamp, Coverage: d.Coverage, Fleet: d.FleetSize ?? s.EndpointsScanned)
                : (Id: s.SubmissionId, Stamp: (string?)null, Coverage: s.Coverage, Fleet: s.FleetSize ?? s.EndpointsScanned))
            .LastOrDefault(s => s.Coverage != CoverageKinds.Partial && s.Fleet is not null) is { Id: not null } r
            ? (r.Id, r.Stamp, r.Fleet)
            : (null, null, null);
        return (id is null ? null : new DiffReference(id, stamp), fleet);
    }

    /// <summary>The keys of the hosts, one pass over them: a key is 8 bytes where a host's name is 50 or more.</summary>
    private static ulong[] KeysOf(HostRuns hosts)
    {
        var keys = new ulong[hosts.Added];
        var n = 0;
        foreach (var host in hosts.Sorted())
        {
            keys[n++] = CoverageRule.KeyOf(host.Hostname);
        }

        return n == keys.Length ? keys : keys[..n];
    }

    /// <summary>The agency's accepted inventories before this one, in <see cref="SubmissionOrder"/>.</summary>
    private async Task<SubmissionEntity[]> EarlierAsync(SubmissionEntity submission, CancellationToken cancellationToken) =>
        (await submissions.ListAsync(submission.Agency, SubmissionKinds.Inventory, cancellationToken).ConfigureAwait(false))
            .Where(s => s.IsAccepted && s.SubmissionId != submission.SubmissionId && IsBefore(s, submission))
            .ToArray();

    /// <summary>
    /// The hosts still carrying the product after an inventory: from its diff, or (stored before diffs existed) its
    /// findings; with the stamp of the diff whose generation of rows was read.
    /// </summary>
    private async Task<PriorInventory> CarryingAfterAsync(string agency, string submissionId, CancellationToken cancellationToken)
    {
        // The summary is written after the host rows and before the inventory completes, so an accepted inventory has one
        // unless it was stored before diffs existed; its counts size the table.
        var summary = await diffs.GetSummaryAsync(agency, submissionId, cancellationToken).ConfigureAwait(false);
        var hosts = new HostRuns(summary is null ? 0 : summary.Remaining + summary.New + summary.Unreported);
        try
        {
            if (summary is not null)
            {
                await diffs.CarryingAsync(summary, hosts, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                foreach (var host in await findings.HostFindingsAsync(agency, submissionId, cancellationToken).ConfigureAwait(false))
                {
                    hosts.Add(host.Hostname, [.. host.Products]);
                }
            }

            return new PriorInventory(submissionId, hosts, summary?.Stamp);
        }
        catch
        {
            hosts.Dispose();
            throw;
        }
    }

    /// <summary>The order the status uses (<see cref="SubmissionOrder"/>).</summary>
    private static bool IsBefore(SubmissionEntity a, SubmissionEntity b) => SubmissionOrder.Compare(a, b) < 0;
}

/// <summary>
/// An agency's previous accepted inventory (none: null), the hosts still carrying the product after it, and the stamp
/// of the diff they were read from (null with no inventory or a diff stored without one).
/// </summary>
internal sealed record PriorInventory(string? SubmissionId, HostRuns Carrying, string? Stamp) : IDisposable
{
    public void Dispose() => Carrying.Dispose();

    /// <summary>Disposes what a look-up found once it ends, whether or not the check used it (a rejected file does not).</summary>
    public static async ValueTask ReleaseAsync(Task<PriorInventory?>? lookUp)
    {
        if (lookUp is not null)
        {
            (await lookUp.ConfigureAwait(false))?.Dispose();
        }
    }
}
