namespace KDirective.Reminders;

public static class ReminderKinds
{
    public const string Upcoming = "upcoming";
    public const string Due = "due";
    public const string Overdue = "overdue";
}

/// <summary>
/// One item of a reminder: a milestone (and status period) at one reminder point. <see cref="Point"/> names the point
/// (<c>before-3</c>, <c>due</c>, <c>overdue-2</c>); with agency, milestone and period it is the claim's key, so each
/// item is sent at most once, whichever digest carries it.
/// </summary>
public sealed record ReminderPoint(string Agency, string Milestone, int Period, string Point, string Kind, DateOnly PointDate, DateOnly DueDate, int DaysBefore)
{
    public string Key => $"{Milestone}-{Period}-{Point}";

    /// <summary>
    /// Most urgent first: the longest overdue, then due today, then the soonest upcoming. Points planned on one day
    /// are overdue, due or upcoming exactly as their due date is before, on or after that day, so the due date alone
    /// orders them.
    /// </summary>
    public static IComparer<ReminderPoint> Urgency { get; } = Comparer<ReminderPoint>.Create((a, b) =>
        (a.DueDate, Order(a.Milestone), a.Period).CompareTo((b.DueDate, Order(b.Milestone), b.Period)));

    /// <summary>On the same day, the directive's own order: inventory, plan, implementation, status.</summary>
    private static int Order(string milestone) => Directive.MilestoneIds.All.ToList().IndexOf(milestone);
}
