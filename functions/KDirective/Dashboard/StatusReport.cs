using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Ingestion;
using KDirective.Inventory;

namespace KDirective.Dashboard;

/// <summary>
/// The status document: one row per registered agency. <c>kdirective status --json</c> prints it and the
/// dashboard's <c>/api/status</c> returns it, so the two can never disagree.
/// </summary>
public sealed class StatusReport(AgencyRegistry registry, SubmissionStore submissions, StatusStore statuses, HostDiffStore diffs, MilestoneEvaluator evaluator)
{
    public async Task<IReadOnlyList<StatusRow>> BuildAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        var rows = new List<StatusRow>();
        await foreach (var row in StreamAsync(asOf, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>One agency at a time, each row yielded before the next is read, so memory does not grow with agencies.</summary>
    public async IAsyncEnumerable<StatusRow> StreamAsync(DateTimeOffset asOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var agency in SnapshotsAsync(asOf, cancellationToken).ConfigureAwait(false))
        {
            yield return agency.Row;
        }
    }

    /// <summary>Everything the status rows are built from, kept for the dashboard's pages.</summary>
    public async Task<StatusSnapshot> LoadAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        var list = new List<AgencySnapshot>();
        await foreach (var agency in SnapshotsAsync(asOf, cancellationToken).ConfigureAwait(false))
        {
            list.Add(agency);
        }

        return new StatusSnapshot(asOf, list);
    }

    public static string ToJson(IReadOnlyList<StatusRow> rows) => JsonSerializer.Serialize(rows, InventoryJson.Options);

    /// <summary>
    /// Both the registry and the status table come in agency-id order: walk them side by side (a merge join) instead
    /// of holding every status row or reading each one separately.
    /// </summary>
    private async IAsyncEnumerable<AgencySnapshot> SnapshotsAsync(DateTimeOffset asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var rows = statuses.StreamAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var more = await rows.MoveNextAsync().ConfigureAwait(false);
        foreach (var agency in (await registry.ListAsync(cancellationToken).ConfigureAwait(false)).OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            while (more && string.CompareOrdinal(rows.Current.PartitionKey, agency.Id) < 0)
            {
                more = await rows.MoveNextAsync().ConfigureAwait(false);
            }

            var status = more && rows.Current.PartitionKey == agency.Id ? rows.Current : null;
            var history = await submissions.ListAsync(agency.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            var milestones = evaluator.Evaluate(AgencyHistory.From(history, asOf), asOf);
            var diff = status is null ? null : await diffs.GetLatestSummaryAsync(agency.Id, cancellationToken).ConfigureAwait(false);
            yield return new AgencySnapshot(agency, history.Where(s => s.ReceivedAt <= asOf).ToArray(), milestones, Row(agency, status, diff, milestones, asOf));
        }
    }

    /// <summary>
    /// Inventory and products come from the status row (the latest accepted inventory); with an as-of in the past,
    /// only milestones are as of that date, and an agency whose first inventory came later shows as missing.
    /// </summary>
    private static StatusRow Row(Agency agency, AgencyStatusEntity? status, HostDiff? diff, AgencyMilestones milestones, DateTimeOffset asOf)
    {
        var received = status?.FirstInventoryAt is { } first && first <= asOf ? first : (DateTimeOffset?)null;
        var hosts = received is null ? null : diff;
        return new StatusRow(
            agency.Id,
            agency.Name,
            received,
            received is null ? null : status!.LatestEndpointsAffected,
            received is null ? [] : JsonSerializer.Deserialize<List<ProductCount>>(status!.LatestProductsJson, InventoryJson.Options) ?? [],
            milestones.States.Select(m => new MilestoneRow(m.Milestone, m.Period, m.DueDate, m.StateLabel, m.MetAt, m.Late, m.Describe())).ToArray(),
            milestones.RemovalCompletedAt,
            hosts?.Coverage.Kind,
            hosts?.Coverage.HostsLacking ?? 0,
            hosts?.Coverage.HostsLackingFirst ?? [],
            hosts?.Carrying,
            hosts?.CarryingFirst ?? []);
    }
}

public sealed record StatusRow(
    string Agency, string Name, DateTimeOffset? InventoryReceivedAt, long? EndpointsAffected, IReadOnlyList<ProductCount> Products,
    IReadOnlyList<MilestoneRow> Milestones, DateTimeOffset? RemovalCompletedAt,
    string? Coverage, int HostsLackingCount, IReadOnlyList<string> HostsLacking, int? HostsCarryingCount, IReadOnlyList<string> HostsCarrying)
{
    /// <summary>What the latest inventory says about hosts: what it lacks (partial coverage) and which still carry the product.</summary>
    public string? HostsLine()
    {
        var parts = new List<string>();
        if (Coverage == CoverageKinds.Partial)
        {
            parts.Add(HostsLackingCount > 0
                ? $"coverage: partial, lacks {HostsLackingCount} host(s): {List(HostsLacking, HostsLackingCount)}"
                : "coverage: partial (fleet smaller than the last full inventory's)");
        }

        if (HostsCarryingCount > 0)
        {
            parts.Add($"still carrying: {HostsCarryingCount} host(s): {List(HostsCarrying, HostsCarryingCount ?? 0)}");
        }

        return parts.Count == 0 ? null : string.Join(" | ", parts);
    }

    private static string List(IReadOnlyList<string> first, int total) =>
        string.Join(", ", first.Take(10)) + (total > 10 ? $", … ({total - 10} more)" : string.Empty);
}

public sealed record MilestoneRow(
    string Milestone, int Period, DateOnly DueDate, string State, DateTimeOffset? MetAt, bool Late,
    [property: JsonIgnore] string Describe);

/// <summary>An agency as of a moment: its registry entry, submissions received by then, milestones and status row.</summary>
public sealed record AgencySnapshot(Agency Agency, IReadOnlyList<SubmissionEntity> Submissions, AgencyMilestones Milestones, StatusRow Row)
{
    /// <summary>Accepted inventories, oldest first.</summary>
    public IEnumerable<SubmissionEntity> Inventories => Submissions.Where(s => s.IsAccepted && s.Kind == SubmissionKinds.Inventory);
}

public sealed record StatusSnapshot(DateTimeOffset AsOf, IReadOnlyList<AgencySnapshot> Agencies);
