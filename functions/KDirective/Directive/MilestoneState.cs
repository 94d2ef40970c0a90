namespace KDirective.Directive;

/// <summary>Where an agency stands on one milestone (or one status period).</summary>
public enum MilestoneStateKind
{
    Pending,
    Met,
    Overdue,
    NotRequired,

    /// <summary>The day has passed and no inventory shows removal under way: counts as overdue, never as met.</summary>
    NoProgress,
}

/// <summary>
/// One milestone for one agency. <see cref="Period"/> is 0, or the 1-based status period. <see cref="MetAt"/> is when it
/// was met; <see cref="Late"/> says whether after the due time.
/// </summary>
public sealed record MilestoneState(string Milestone, int Period, DateOnly DueDate, DateTimeOffset DueAt, MilestoneStateKind State, DateTimeOffset? MetAt = null)
{
    public bool Late => MetAt is { } met && met > DueAt;

    /// <summary>Overdue, or (removal start) due and passed with no progress shown.</summary>
    public bool IsOverdue => State is MilestoneStateKind.Overdue or MilestoneStateKind.NoProgress;

    public string Describe() => State switch
    {
        MilestoneStateKind.Met => Late ? $"met late ({MetAt:yyyy-MM-dd})" : $"met ({MetAt:yyyy-MM-dd})",
        MilestoneStateKind.NotRequired => "not required",
        MilestoneStateKind.Overdue => "OVERDUE",
        MilestoneStateKind.NoProgress => "NO PROGRESS SHOWN (overdue)",
        _ => "pending",
    };

    public string StateLabel => State switch
    {
        MilestoneStateKind.NotRequired => "notRequired",
        MilestoneStateKind.NoProgress => "noProgress",
        _ => State.ToString().ToLowerInvariant(),
    };
}
