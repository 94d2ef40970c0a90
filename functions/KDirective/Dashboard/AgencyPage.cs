using KDirective.Ingestion;

namespace KDirective.Dashboard;

/// <summary>One agency's page: milestones, submissions, burn-down, current findings and the host diff.</summary>
public sealed record AgencyPage(
    DateTimeOffset AsOf,
    string Id,
    string Name,
    IReadOnlyList<MilestoneLine> Milestones,
    IReadOnlyList<SubmissionLine> Submissions,
    IReadOnlyList<BurnDownPoint> BurnDown,
    IReadOnlyList<ProductLine> Products,
    HostPage Hosts,
    HostDiffLists Diff,
    DateTimeOffset? RemovalCompletedAt);

public sealed record MilestoneLine(string Title, DateOnly DueDate, MilestoneCell State);

public sealed record SubmissionLine(
    string Id, string Kind, string File, DateTimeOffset ReceivedAt, string Outcome, string? Error, string? Format,
    long RowsRead, long RowsRejected, long? EndpointsAffected, IReadOnlyList<Inventory.InventoryJson.RejectionDto> FirstRejections,
    long PossibleFindings, IReadOnlyList<Inventory.InventoryJson.PossibleFindingDto> FirstPossibleFindings);

public sealed record ProductLine(string Product, long Endpoints, IReadOnlyList<string> Versions);

/// <summary>Hosts with findings in the latest inventory, one page of them; aggregated rows are counted apart.</summary>
public sealed record HostPage(IReadOnlyList<HostLine> Hosts, int Page, int Pages, int TotalHosts, long AggregatedEndpoints)
{
    public const int Size = 50;
}

public sealed record HostLine(string Hostname, IReadOnlyList<string> Products);

/// <summary>The <c>/api/agencies/{id}</c> document.</summary>
public sealed record AgencyDocument(StatusRow Status, IReadOnlyList<SubmissionLine> Submissions, IReadOnlyList<BurnDownPoint> BurnDown, HostDiffLists HostDiff);
