using KDirective.Ingestion;

namespace KDirective.Dashboard;

/// <summary>Hosts with findings in the latest inventory against the previous one.</summary>
public sealed record HostDiffLists(IReadOnlyList<string> Removed, IReadOnlyList<string> Remaining, IReadOnlyList<string> New, bool HasPrevious)
{
    /// <summary>Hosts that carried the product before and that the latest (partial) inventory does not list: still counted as carrying it.</summary>
    public IReadOnlyList<string> Unreported { get; init; } = [];

    public static HostDiffLists None { get; } = new([], [], [], false);
}

/// <summary>
/// Where the host diff comes from. A seam on purpose: today it is computed from stored findings; a stored
/// per-host diff written at ingestion can replace it without touching the pages.
/// </summary>
public interface IHostDiffSource
{
    Task<HostDiffLists> CompareAsync(string agency, SubmissionEntity latest, SubmissionEntity? previous, CancellationToken cancellationToken = default);
}

/// <summary>
/// The per-host diff stored at ingestion (table <c>HostDiffs</c>). Unlike a bare comparison of two inventories, it
/// knows a host that a partial inventory leaves out from a host cleaned: the first is "not listed", never "removed".
/// </summary>
public sealed class StoredHostDiff(HostDiffStore store) : IHostDiffSource
{
    public async Task<HostDiffLists> CompareAsync(string agency, SubmissionEntity latest, SubmissionEntity? previous, CancellationToken cancellationToken = default)
    {
        if (await store.GetAsync(agency, latest.SubmissionId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return HostDiffLists.None;
        }

        string[] Of(string change) => stored.Hosts.Where(h => h.Change == change).Select(h => h.Hostname).Order(StringComparer.Ordinal).ToArray();
        return new HostDiffLists(Of(HostChangeKinds.Removed), Of(HostChangeKinds.Remaining), Of(HostChangeKinds.New), stored.PreviousSubmissionId is not null)
        {
            Unreported = Of(HostChangeKinds.Unreported),
        };
    }
}
