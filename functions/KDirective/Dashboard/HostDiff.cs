using KDirective.Ingestion;

namespace KDirective.Dashboard;

/// <summary>Hosts with findings in the latest inventory against the previous one.</summary>
public sealed record HostDiff(IReadOnlyList<string> Removed, IReadOnlyList<string> Remaining, IReadOnlyList<string> New, bool HasPrevious)
{
    public static HostDiff None { get; } = new([], [], [], false);
}

/// <summary>
/// Where the host diff comes from. A seam on purpose: today it is computed from stored findings; a stored
/// per-host diff written at ingestion can replace it without touching the pages.
/// </summary>
public interface IHostDiffSource
{
    Task<HostDiff> CompareAsync(string agency, SubmissionEntity latest, SubmissionEntity? previous, CancellationToken cancellationToken = default);
}

/// <summary>The diff computed from the per-endpoint findings of the two inventories (hostnames compared case-insensitively).</summary>
public sealed class FindingsHostDiff(FindingStore findings) : IHostDiffSource
{
    public async Task<HostDiff> CompareAsync(string agency, SubmissionEntity latest, SubmissionEntity? previous, CancellationToken cancellationToken = default)
    {
        var now = await HostsAsync(agency, latest, cancellationToken).ConfigureAwait(false);
        if (previous is null)
        {
            return new HostDiff([], Sorted(now), [], false);
        }

        var before = await HostsAsync(agency, previous, cancellationToken).ConfigureAwait(false);
        return new HostDiff(Sorted(before.Except(now)), Sorted(now.Intersect(before)), Sorted(now.Except(before)), true);
    }

    private async Task<HashSet<string>> HostsAsync(string agency, SubmissionEntity submission, CancellationToken cancellationToken)
    {
        var rows = await findings.ListAsync(agency, submission.SubmissionId, cancellationToken).ConfigureAwait(false);
        return rows.Where(f => f.Hostname is not null).Select(f => f.Hostname!.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
    }

    private static string[] Sorted(IEnumerable<string> hosts) => hosts.Order(StringComparer.Ordinal).ToArray();
}
