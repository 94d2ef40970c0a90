namespace KDirective.Directive;

/// <summary>
/// The directive's rules: which milestones an agency has met, by when, and which are still due, as of a moment.
/// Pure: the same history and moment always give the same answer.
/// </summary>
public sealed class MilestoneEvaluator(DirectiveCalendar calendar)
{
    public DirectiveCalendar Calendar => calendar;

    public AgencyMilestones Evaluate(AgencyHistory history, DateTimeOffset asOf)
    {
        var o = calendar.Options;
        var everHadFindings = history.Inventories.Any(i => i.HasFindings);
        var removal = RemovalCompletedAt(history);
        var states = new List<MilestoneState>
        {
            Deadline(MilestoneIds.Inventory, o.InventoryDays, history.Inventories.Select(i => i.ReceivedAt).FirstOrDefault(), required: true, asOf),
            Deadline(MilestoneIds.Plan, o.PlanDays, history.Plans.FirstOrDefault(), required: history.Plans.Count > 0 || history.LatestHasFindings, asOf),
            Implementation(history, everHadFindings, removal, asOf),
        };

        states.AddRange(StatusPeriods(history, everHadFindings, removal, asOf));
        return new AgencyMilestones(states, removal);
    }

    private MilestoneState Deadline(string id, int days, DateTimeOffset metAt, bool required, DateTimeOffset asOf)
    {
        var due = calendar.Day(days);
        var dueAt = calendar.EndOf(due);
        if (metAt != default)
        {
            return new MilestoneState(id, 0, due, dueAt, MilestoneStateKind.Met, metAt);
        }

        return new MilestoneState(id, 0, due, dueAt, !required ? MilestoneStateKind.NotRequired : asOf > dueAt ? MilestoneStateKind.Overdue : MilestoneStateKind.Pending);
    }

    /// <summary>
    /// Removal must begin on its day, and only evidence meets it: removal complete, or an inventory received on or
    /// after that day (with full coverage) showing fewer affected endpoints than the first inventory that had findings.
    /// Day 90 arriving is not evidence. Before the day ends it is pending; after, "no progress shown", which is overdue.
    /// An agency found clean never has to.
    /// </summary>
    private MilestoneState Implementation(AgencyHistory history, bool everHadFindings, DateTimeOffset? removal, DateTimeOffset asOf)
    {
        var due = calendar.Day(calendar.Options.ImplementationDays);
        var dueAt = calendar.EndOf(due);
        if (history.Inventories.Count > 0 && !everHadFindings)
        {
            return new MilestoneState(MilestoneIds.Implementation, 0, due, dueAt, MilestoneStateKind.NotRequired);
        }

        var evidence = ProgressShownAt(history, calendar.StartOf(due));
        if (removal is { } done && (evidence is null || done < evidence))
        {
            evidence = done;
        }

        if (evidence is { } at && at <= asOf)
        {
            return new MilestoneState(MilestoneIds.Implementation, 0, due, dueAt, MilestoneStateKind.Met, at);
        }

        return new MilestoneState(MilestoneIds.Implementation, 0, due, dueAt, asOf > dueAt ? MilestoneStateKind.NoProgress : MilestoneStateKind.Pending);
    }

    /// <summary>The first full-coverage inventory from <paramref name="from"/> on with fewer affected endpoints than the baseline.</summary>
    private static DateTimeOffset? ProgressShownAt(AgencyHistory history, DateTimeOffset from)
    {
        var baseline = history.Inventories.FirstOrDefault(i => i.HasFindings)?.AffectedEndpoints;
        return baseline is not { } first
            ? null
            : history.Inventories.FirstOrDefault(i => i.ReceivedAt >= from && !i.PartialCoverage && i.AffectedEndpoints < first)?.ReceivedAt;
    }

    /// <summary>
    /// Status period k runs from the end of day (implementation + (k-1) x every) to the end of day
    /// (implementation + k x every). The first accepted inventory after a period starts meets it (late if after
    /// its end). Periods stop once removal is complete; the periods listed are those begun by <paramref name="asOf"/>
    /// and the next one.
    /// </summary>
    private IEnumerable<MilestoneState> StatusPeriods(AgencyHistory history, bool everHadFindings, DateTimeOffset? removal, DateTimeOffset asOf)
    {
        var o = calendar.Options;
        if ((history.Inventories.Count > 0 && !everHadFindings) || removal < calendar.StartOf(calendar.Day(o.ImplementationDays)))
        {
            yield break;
        }

        for (var k = 1; ; k++)
        {
            var start = calendar.EndOf(calendar.Day(o.ImplementationDays + ((k - 1) * o.StatusEveryDays)));
            if (removal is { } done && start >= done)
            {
                yield break;
            }

            var due = calendar.Day(o.ImplementationDays + (k * o.StatusEveryDays));
            var dueAt = calendar.EndOf(due);
            var met = history.Inventories.FirstOrDefault(i => i.ReceivedAt > start);
            yield return met is not null
                ? new MilestoneState(MilestoneIds.Status, k, due, dueAt, MilestoneStateKind.Met, met.ReceivedAt)
                : new MilestoneState(MilestoneIds.Status, k, due, dueAt, asOf > dueAt ? MilestoneStateKind.Overdue : MilestoneStateKind.Pending);
            if (start > asOf)
            {
                yield break; // the next period, shown but not yet begun
            }
        }
    }

    /// <summary>
    /// The first clean inventory after one with findings that covers every host still carrying the product (or, for an
    /// aggregated export, enough of the fleet): a partial inventory is a status report and leaves removal open.
    /// </summary>
    private static DateTimeOffset? RemovalCompletedAt(AgencyHistory history)
    {
        var sawFindings = false;
        foreach (var inventory in history.Inventories)
        {
            if (inventory.HasFindings)
            {
                sawFindings = true;
            }
            else if (sawFindings && !inventory.PartialCoverage)
            {
                return inventory.ReceivedAt;
            }
        }

        return null;
    }
}

public sealed record AgencyMilestones(IReadOnlyList<MilestoneState> States, DateTimeOffset? RemovalCompletedAt)
{
    /// <summary>The next milestone the agency still has to meet, if any.</summary>
    public MilestoneState? NextDue => States
        .Where(s => s.State is MilestoneStateKind.Pending or MilestoneStateKind.Overdue or MilestoneStateKind.NoProgress && s.Milestone != MilestoneIds.Implementation)
        .OrderBy(s => s.DueAt)
        .FirstOrDefault();
}
