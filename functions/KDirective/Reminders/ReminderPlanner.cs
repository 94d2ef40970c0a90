using KDirective.Directive;
using Microsoft.Extensions.Options;

namespace KDirective.Reminders;

/// <summary>
/// Decides which reminder, if any, is due for each milestone of an agency as of a moment. After missed runs only the
/// latest applicable point is chosen, never a burst of stale ones; met and not-required milestones get nothing.
/// </summary>
public sealed class ReminderPlanner(MilestoneEvaluator evaluator, IOptions<ReminderOptions> options)
{
    public IReadOnlyList<ReminderPoint> Plan(string agency, AgencyMilestones milestones, DateTimeOffset asOf)
    {
        var calendar = evaluator.Calendar;
        var today = calendar.LocalDate(asOf);
        var points = new List<ReminderPoint>();
        foreach (var state in milestones.States.Where(s => s.Milestone is MilestoneIds.Inventory or MilestoneIds.Plan))
        {
            if (Latest(agency, state, today) is { } point)
            {
                points.Add(point);
            }
        }

        var implementation = milestones.States.Single(s => s.Milestone == MilestoneIds.Implementation);
        // Removal start is met only with evidence now, so the day-90 notice goes to agencies that have not yet shown it.
        if (implementation.State is MilestoneStateKind.Pending or MilestoneStateKind.NoProgress && asOf >= calendar.StartOf(implementation.DueDate))
        {
            points.Add(new ReminderPoint(agency, MilestoneIds.Implementation, 0, "notice", ReminderKinds.Notice, implementation.DueDate, implementation.DueDate, 0));
        }

        // Status periods follow one another: remind about the one whose latest point is most recent.
        var status = milestones.States.Where(s => s.Milestone == MilestoneIds.Status)
            .Select(s => Latest(agency, s, today))
            .OfType<ReminderPoint>()
            .MaxBy(p => (p.PointDate, p.Period));
        if (status is not null)
        {
            points.Add(status);
        }

        return points;
    }

    private ReminderPoint? Latest(string agency, MilestoneState state, DateOnly today)
    {
        if (state.State is MilestoneStateKind.Met or MilestoneStateKind.NotRequired)
        {
            return null;
        }

        var due = state.DueDate;
        var o = options.Value;
        if (today > due)
        {
            var n = ((today.DayNumber - due.DayNumber - 1) / o.OverdueEveryDays) + 1;
            var date = due.AddDays(1 + ((n - 1) * o.OverdueEveryDays));
            return new ReminderPoint(agency, state.Milestone, state.Period, $"overdue-{n}", ReminderKinds.Overdue, date, due, -(today.DayNumber - due.DayNumber));
        }

        if (today == due)
        {
            return new ReminderPoint(agency, state.Milestone, state.Period, "due", ReminderKinds.Due, due, due, 0);
        }

        var before = o.DaysBeforeList.Where(d => due.AddDays(-d) <= today).DefaultIfEmpty(0).Min();
        return before == 0
            ? null
            : new ReminderPoint(agency, state.Milestone, state.Period, $"before-{before}", ReminderKinds.Upcoming, due.AddDays(-before), due, due.DayNumber - today.DayNumber);
    }
}
