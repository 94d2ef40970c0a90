using KDirective.Directive;
using Microsoft.Extensions.Options;

namespace KDirective.Reminders;

/// <summary>
/// Decides which reminder items are due for an agency as of a moment. After missed runs only the latest applicable
/// point of each milestone is chosen, never a burst of stale ones; met and not-required milestones get nothing.
/// Every milestone is handled alike: before its due date an upcoming item, on it a due item, after it (whatever the
/// evaluator calls the unmet state) an overdue item. So no item ever announces a day already past as news.
/// </summary>
public sealed class ReminderPlanner(MilestoneEvaluator evaluator, IOptions<ReminderOptions> options)
{
    public IReadOnlyList<ReminderPoint> Plan(string agency, AgencyMilestones milestones, DateTimeOffset asOf)
    {
        var today = evaluator.Calendar.LocalDate(asOf);
        var points = milestones.States.Where(s => s.Milestone != MilestoneIds.Status)
            .Select(s => Latest(agency, s, today))
            .OfType<ReminderPoint>()
            .ToList();

        // Status periods follow one another: remind about the one whose latest point is most recent.
        var status = milestones.States.Where(s => s.Milestone == MilestoneIds.Status)
            .Select(s => Latest(agency, s, today))
            .OfType<ReminderPoint>()
            .MaxBy(p => (p.PointDate, p.Period));
        if (status is not null)
        {
            points.Add(status);
        }

        points.Sort(ReminderPoint.Urgency);
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
