namespace KDirective.Directive;

/// <summary>The directive's milestones, as they appear in configuration, JSON and table keys.</summary>
public static class MilestoneIds
{
    public const string Inventory = "inventory";
    public const string Plan = "plan";
    public const string Implementation = "implementation";
    public const string Status = "status";

    public static IReadOnlyList<string> All { get; } = [Inventory, Plan, Implementation, Status];

    /// <summary>What the milestone is called in an email subject.</summary>
    public static string Title(string id) => id switch
    {
        Inventory => "inventory report",
        Plan => "removal plan",
        Implementation => "removal start",
        Status => "status report",
        _ => id,
    };
}
