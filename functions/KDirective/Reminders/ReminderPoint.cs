namespace KDirective.Reminders;

public static class ReminderKinds
{
    public const string Upcoming = "upcoming";
    public const string Due = "due";
    public const string Overdue = "overdue";
    public const string Notice = "notice";
}

/// <summary>
/// One reminder to send: a milestone (and status period) at one reminder point. <see cref="Point"/> names the point
/// (<c>before-3</c>, <c>due</c>, <c>overdue-2</c>, <c>notice</c>); with agency, milestone and period it is the
/// claim's key, so each is sent at most once.
/// </summary>
public sealed record ReminderPoint(string Agency, string Milestone, int Period, string Point, string Kind, DateOnly PointDate, DateOnly DueDate, int DaysBefore)
{
    public string Key => $"{Milestone}-{Period}-{Point}";
}
