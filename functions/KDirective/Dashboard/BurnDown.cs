using KDirective.Directive;
using KDirective.Ingestion;

namespace KDirective.Dashboard;

/// <summary>Affected endpoints on a day, as the latest accepted inventories by then reported them.</summary>
public sealed record BurnDownPoint(DateOnly Date, long Endpoints);

/// <summary>Removal over time, from accepted inventories: one point per day on which an inventory arrived.</summary>
public static class BurnDown
{
    /// <summary>An inventory's affected endpoints; for an aggregated export, its largest product count (as the status row).</summary>
    public static long Affected(SubmissionEntity inventory) =>
        inventory.EndpointsAffected ?? Products(inventory).Select(p => p.Endpoints).DefaultIfEmpty(0).Max();

    public static IReadOnlyList<ProductCount> Products(SubmissionEntity inventory) =>
        (System.Text.Json.JsonSerializer.Deserialize<List<Inventory.InventoryJson.FindingDto>>(inventory.FindingsJson, Inventory.InventoryJson.Options) ?? [])
        .Select(f => new ProductCount(f.Product, f.Endpoints)).ToArray();

    public static IReadOnlyList<BurnDownPoint> ForAgency(IEnumerable<SubmissionEntity> inventories, DirectiveCalendar calendar) =>
        GovernmentWide([inventories], calendar);

    /// <summary>The sum over agencies of each one's latest inventory, on every day any of them reported.</summary>
    public static IReadOnlyList<BurnDownPoint> GovernmentWide(IEnumerable<IEnumerable<SubmissionEntity>> agencies, DirectiveCalendar calendar)
    {
        var events = agencies
            .SelectMany((inventories, agency) => inventories.Select(s => (Agency: agency, s.ReceivedAt, Endpoints: Affected(s))))
            .OrderBy(e => e.ReceivedAt)
            .ToArray();
        var latest = new Dictionary<int, long>();
        var points = new List<BurnDownPoint>();
        foreach (var e in events)
        {
            latest[e.Agency] = e.Endpoints;
            var point = new BurnDownPoint(calendar.LocalDate(e.ReceivedAt), latest.Values.Sum());
            if (points.Count > 0 && points[^1].Date == point.Date)
            {
                points[^1] = point; // the day's last report stands for the day
            }
            else
            {
                points.Add(point);
            }
        }

        return points;
    }
}
