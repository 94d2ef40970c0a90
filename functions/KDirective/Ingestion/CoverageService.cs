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
    /// <param name="submission">The inventory, accepted and not yet complete.</param>
    /// <param name="perHost">The inventory lists hosts (not an aggregated export).</param>
    /// <param name="found">Its hosts with banned products, as the reader passed them to the finding writer.</param>
    /// <param name="listed">The keys of every host it lists.</param>
    /// <param name="largestCount">The largest endpoint count of a row without a host.</param>
    /// <param name="cancellationToken">Stops the check; a retry recomputes it.</param>
    internal async Task<InventoryCoverage> AssessAsync(SubmissionEntity submission, bool perHost, IReadOnlyList<HostFindings> found, HostKeySet listed, long largestCount, CancellationToken cancellationToken)
    {
        var agency = submission.Agency;
        var earlier = (await submissions.ListAsync(agency, SubmissionKinds.Inventory, cancellationToken).ConfigureAwait(false))
            .Where(s => s.IsAccepted && s.SubmissionId != submission.SubmissionId && IsBefore(s, submission))
            .ToArray();
        var previous = earlier.LastOrDefault();
        var carryingBefore = previous is null ? [] : await CarryingAfterAsync(agency, previous.SubmissionId, cancellationToken).ConfigureAwait(false);

        var changes = CoverageRule.Compare(carryingBefore, found, listed);
        var reference = earlier.LastOrDefault(s => s.Coverage != CoverageKinds.Partial && (s.FleetSize ?? s.EndpointsScanned) is not null);
        var fleet = Math.Max(largestCount, listed.Count);
        var coverage = CoverageRule.Assess(perHost, changes, fleet, reference?.FleetSize ?? reference?.EndpointsScanned, options.Value.MinCoverage);
        await diffs.SaveAsync(agency, submission, previous?.SubmissionId, coverage, changes, cancellationToken).ConfigureAwait(false);
        return coverage;
    }

    /// <summary>The hosts still carrying the product after an inventory: from its diff, or (stored before diffs existed) its findings.</summary>
    private async Task<IReadOnlyList<HostFindings>> CarryingAfterAsync(string agency, string submissionId, CancellationToken cancellationToken)
    {
        var hosts = await diffs.HostsAsync(agency, submissionId, cancellationToken).ConfigureAwait(false);
        return hosts.Count > 0 || await diffs.GetSummaryAsync(agency, submissionId, cancellationToken).ConfigureAwait(false) is not null
            ? hosts.Where(h => h.Carrying).Select(h => new HostFindings(h.Hostname, h.Products)).ToArray()
            : await findings.HostFindingsAsync(agency, submissionId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The order the status uses (<see cref="SubmissionOrder"/>).</summary>
    private static bool IsBefore(SubmissionEntity a, SubmissionEntity b) => SubmissionOrder.Compare(a, b) < 0;
}
