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
public sealed class StatusReport(AgencyRegistry registry, SubmissionStore submissions, StatusStore statuses, MilestoneEvaluator evaluator)
{
    public async Task<IReadOnlyList<StatusRow>> BuildAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        var snapshot = await LoadAsync(asOf, cancellationToken).ConfigureAwait(false);
        return snapshot.Agencies.Select(a => a.Row).ToArray();
    }

    /// <summary>Everything the status rows are built from, kept for the dashboard's pages.</summary>
    public async Task<StatusSnapshot> LoadAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        var agencies = await registry.ListAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await statuses.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.PartitionKey);
        var list = new List<AgencySnapshot>();
        foreach (var agency in agencies)
        {
            var history = await submissions.ListAsync(agency.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            var milestones = evaluator.Evaluate(AgencyHistory.From(history, asOf), asOf);
            list.Add(new AgencySnapshot(agency, history.Where(s => s.ReceivedAt <= asOf).ToArray(), milestones, Row(agency, rows.GetValueOrDefault(agency.Id), milestones, asOf)));
        }

        return new StatusSnapshot(asOf, list);
    }

    public static string ToJson(IReadOnlyList<StatusRow> rows) => JsonSerializer.Serialize(rows, InventoryJson.Options);

    /// <summary>
    /// Inventory and products come from the status row (the latest accepted inventory); with an as-of in the past,
    /// only milestones are as of that date, and an agency whose first inventory came later shows as missing.
    /// </summary>
    private static StatusRow Row(Agency agency, AgencyStatusEntity? status, AgencyMilestones milestones, DateTimeOffset asOf)
    {
        var received = status?.FirstInventoryAt is { } first && first <= asOf ? first : (DateTimeOffset?)null;
        return new StatusRow(
            agency.Id,
            agency.Name,
            received,
            received is null ? null : status!.LatestEndpointsAffected,
            received is null ? [] : JsonSerializer.Deserialize<List<ProductCount>>(status!.LatestProductsJson, InventoryJson.Options) ?? [],
            milestones.States.Select(m => new MilestoneRow(m.Milestone, m.Period, m.DueDate, m.StateLabel, m.MetAt, m.Late, m.Describe())).ToArray(),
            milestones.RemovalCompletedAt);
    }
}

public sealed record StatusRow(
    string Agency, string Name, DateTimeOffset? InventoryReceivedAt, long? EndpointsAffected, IReadOnlyList<ProductCount> Products,
    IReadOnlyList<MilestoneRow> Milestones, DateTimeOffset? RemovalCompletedAt);

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
