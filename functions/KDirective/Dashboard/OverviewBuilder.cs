using KDirective.Directive;

namespace KDirective.Dashboard;

/// <summary>Builds the front page from a status snapshot; pure, so the numbers are tested without a browser.</summary>
public static class OverviewBuilder
{
    public static OverviewPage Build(StatusSnapshot snapshot, OverviewQuery query, DirectiveCalendar calendar, bool showsEveryAgency)
    {
        var lines = snapshot.Agencies.Select(Line).ToArray();
        var tiles = new OverviewTiles(
            snapshot.Agencies.Count,
            snapshot.Agencies.Count(a => a.Row.InventoryReceivedAt is not null),
            MilestoneWords.Kinds.Where(k => k != MilestoneIds.Implementation)
                .Select(k => new MilestoneCount(k, snapshot.Agencies.Count(a => a.Row.Milestones.Any(m => m.Milestone == k && m.State == "overdue"))))
                .ToArray(),
            snapshot.Agencies.Sum(a => a.Row.EndpointsAffected ?? 0),
            snapshot.Agencies.Sum(a => a.Inventories.Select(BurnDown.Affected).FirstOrDefault()));
        var shown = Sort(lines.Where(l => !query.LateOnly || l.Late), query).ToArray();
        return new OverviewPage(snapshot.AsOf, tiles, shown, BurnDown.GovernmentWide(snapshot.Agencies.Select(a => a.Inventories), calendar), query, showsEveryAgency);
    }

    private static AgencyLine Line(AgencySnapshot a)
    {
        var states = a.Milestones.States;
        var cells = MilestoneWords.Kinds.Select(k => k == MilestoneIds.Status
            ? MilestoneWords.Fold(k, states.Where(s => s.Milestone == k).ToArray())
            : MilestoneWords.Cell(k, states.Single(s => s.Milestone == k))).ToArray();
        var next = a.Milestones.NextDue;
        return new AgencyLine(
            a.Agency.Id,
            a.Agency.Name,
            cells,
            next?.DueDate,
            next is null ? null : MilestoneWords.Title(next.Milestone, next.Period),
            a.Row.EndpointsAffected,
            a.Submissions.Count == 0 ? null : a.Submissions.Max(s => s.ReceivedAt),
            states.Any(s => s.State == MilestoneStateKind.Overdue));
    }

    private static IEnumerable<AgencyLine> Sort(IEnumerable<AgencyLine> lines, OverviewQuery q)
    {
        var sorted = q.Sort switch
        {
            "due" => lines.OrderBy(l => l.NextDue ?? DateOnly.MaxValue),
            "affected" => lines.OrderBy(l => l.EndpointsAffected ?? -1),
            "upload" => lines.OrderBy(l => l.LastUpload ?? DateTimeOffset.MinValue),
            _ => lines.OrderBy(l => l.Name, StringComparer.OrdinalIgnoreCase),
        };
        return q.Descending ? sorted.Reverse() : sorted;
    }
}
