using System.Text.Json;
using KDirective.Directive;
using KDirective.Ingestion;
using KDirective.Inventory;

namespace KDirective.Dashboard;

/// <summary>Builds one agency's page from its snapshot, its latest findings and the host diff.</summary>
public sealed class AgencyPageBuilder(FindingStore findings, IHostDiffSource diffs, DirectiveCalendar calendar)
{
    public const int FirstRejections = 5;

    public async Task<AgencyPage> BuildAsync(AgencySnapshot a, DateTimeOffset asOf, int page, CancellationToken cancellationToken = default)
    {
        var inventories = a.Inventories.ToArray();
        var latest = inventories.LastOrDefault();
        var previous = inventories.Length > 1 ? inventories[^2] : null;
        var rows = latest is null ? [] : await findings.ListAsync(a.Agency.Id, latest.SubmissionId, cancellationToken).ConfigureAwait(false);
        var diff = latest is null ? HostDiffLists.None : await diffs.CompareAsync(a.Agency.Id, latest, previous, cancellationToken).ConfigureAwait(false);
        return new AgencyPage(
            asOf,
            a.Agency.Id,
            a.Agency.Name,
            a.Milestones.States.Select(s => new MilestoneLine(MilestoneWords.Title(s.Milestone, s.Period), s.DueDate, MilestoneWords.Cell(s.Milestone, s))).ToArray(),
            Submissions(a),
            BurnDown.ForAgency(inventories, calendar),
            latest is null ? [] : Products(latest),
            Hosts(rows, page),
            diff,
            a.Milestones.RemovalCompletedAt);
    }

    public static IReadOnlyList<SubmissionLine> Submissions(AgencySnapshot a) => a.Submissions
        .OrderByDescending(s => s.ReceivedAt)
        .Select(s => new SubmissionLine(
            s.SubmissionId, s.Kind, s.BlobName, s.ReceivedAt, s.Outcome ?? "processing", s.Error, s.Format, s.RowsRead, s.RowsRejected, s.EndpointsAffected,
            (JsonSerializer.Deserialize<List<InventoryJson.RejectionDto>>(s.RejectionsJson, InventoryJson.Options) ?? []).Take(FirstRejections).ToArray(),
            s.PossibleFindingCount,
            (JsonSerializer.Deserialize<List<InventoryJson.PossibleFindingDto>>(s.PossibleFindingsJson, InventoryJson.Options) ?? []).Take(FirstRejections).ToArray()))
        .ToArray();

    private static ProductLine[] Products(SubmissionEntity latest) =>
        (JsonSerializer.Deserialize<List<InventoryJson.FindingDto>>(latest.FindingsJson, InventoryJson.Options) ?? [])
        .Select(f => new ProductLine(f.Product, f.Endpoints, f.Versions))
        .OrderByDescending(p => p.Endpoints).ThenBy(p => p.Product, StringComparer.Ordinal)
        .ToArray();

    private static HostPage Hosts(IReadOnlyList<FindingEntity> rows, int page)
    {
        var hosts = rows.Where(r => r.Hostname is not null)
            .GroupBy(r => r.Hostname!, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => new HostLine(g.Key, g.Select(r => r.Product).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()))
            .ToArray();
        var pages = Math.Max(1, (hosts.Length + HostPage.Size - 1) / HostPage.Size);
        var current = Math.Clamp(page, 1, pages);
        return new HostPage(hosts.Skip((current - 1) * HostPage.Size).Take(HostPage.Size).ToArray(), current, pages, hosts.Length, rows.Where(r => r.Hostname is null).Sum(r => r.Endpoints));
    }
}
