using KDirective.Directive;

namespace KDirective.Dashboard;

/// <summary>Milestone names and states as a federal reader sees them, with a colour that never carries meaning alone.</summary>
public static class MilestoneWords
{
    public static readonly string[] Kinds = [MilestoneIds.Inventory, MilestoneIds.Plan, MilestoneIds.Implementation, MilestoneIds.Status];

    public static string Title(string milestone, int period = 0) => milestone switch
    {
        MilestoneIds.Inventory => "Inventory",
        MilestoneIds.Plan => "Removal plan",
        MilestoneIds.Implementation => "Removal starts",
        MilestoneIds.Status => period > 0 ? $"Status report {period}" : "Status reports",
        _ => milestone,
    };

    public static MilestoneCell Cell(string milestone, MilestoneState state) => new(milestone, Words(state), Tone(state));

    /// <summary>Status periods folded into one cell: overdue ones counted, else the latest begun period.</summary>
    public static MilestoneCell Fold(string milestone, IReadOnlyList<MilestoneState> states)
    {
        if (states.Count == 0)
        {
            return new MilestoneCell(milestone, "Not required", "neutral");
        }

        var overdue = states.Count(s => s.State == MilestoneStateKind.Overdue);
        if (overdue > 0)
        {
            return new MilestoneCell(milestone, overdue == 1 ? "Overdue" : $"Overdue ({overdue})", "late");
        }

        var current = states.LastOrDefault(s => s.State != MilestoneStateKind.Pending) ?? states[0];
        return Cell(milestone, current);
    }

    public static string Words(MilestoneState state) => state.State switch
    {
        MilestoneStateKind.Met => state.Late ? $"Met late {state.MetAt:yyyy-MM-dd}" : $"Met {state.MetAt:yyyy-MM-dd}",
        MilestoneStateKind.Overdue => "Overdue",
        MilestoneStateKind.NotRequired => "Not required",
        _ => "Pending",
    };

    public static string Tone(MilestoneState state) => state.State switch
    {
        MilestoneStateKind.Met => state.Late ? "warn" : "ok",
        MilestoneStateKind.Overdue => "late",
        MilestoneStateKind.NotRequired => "neutral",
        _ => "pending",
    };
}
