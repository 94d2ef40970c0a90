namespace KDirective.Dashboard;

/// <summary>The dashboard's front page: the tiles, the agencies table and the government-wide burn-down.</summary>
public sealed record OverviewPage(
    DateTimeOffset AsOf,
    OverviewTiles Tiles,
    IReadOnlyList<AgencyLine> Agencies,
    IReadOnlyList<BurnDownPoint> BurnDown,
    OverviewQuery Query,
    bool ShowsEveryAgency);

public sealed record OverviewTiles(
    int AgenciesRegistered,
    int InventoriesReported,
    IReadOnlyList<MilestoneCount> OverdueByMilestone,
    long EndpointsAffectedNow,
    long EndpointsAtFirstInventories)
{
    /// <summary>The share of the first inventories' endpoints no longer affected, in percent (null before any inventory).</summary>
    public double? PercentRemoved => EndpointsAtFirstInventories == 0 ? null
        : Math.Round(100.0 * (EndpointsAtFirstInventories - EndpointsAffectedNow) / EndpointsAtFirstInventories, 1);
}

public sealed record MilestoneCount(string Milestone, int Agencies);

/// <summary>One agency in the table. <see cref="Milestones"/> holds one cell per milestone kind, status periods folded.</summary>
public sealed record AgencyLine(
    string Id,
    string Name,
    IReadOnlyList<MilestoneCell> Milestones,
    DateOnly? NextDue,
    string? NextDueMilestone,
    long? EndpointsAffected,
    DateTimeOffset? LastUpload,
    bool Late);

/// <summary>A milestone's state for people: its words and the colour class that goes with them.</summary>
public sealed record MilestoneCell(string Milestone, string Words, string Tone);

/// <summary>The table's sort and filter, read from the query string so they work without JavaScript.</summary>
public sealed record OverviewQuery(bool LateOnly, string Sort, bool Descending)
{
    public static readonly string[] Sorts = ["name", "due", "affected", "upload"];

    public static OverviewQuery Parse(string? late, string? sort, string? dir) => new(
        late is "1" or "true" or "on",
        Sorts.Contains(sort) ? sort! : "name",
        dir == "desc");

    /// <summary>The query string for a link that keeps this state but changes the given parts.</summary>
    public string Link(bool? lateOnly = null, string? sort = null, bool? descending = null)
    {
        var parts = new List<string>();
        if (lateOnly ?? LateOnly)
        {
            parts.Add("late=1");
        }

        var s = sort ?? Sort;
        if (s != "name")
        {
            parts.Add($"sort={s}");
        }

        if (descending ?? Descending)
        {
            parts.Add("dir=desc");
        }

        return parts.Count == 0 ? "/" : "/?" + string.Join('&', parts);
    }
}
