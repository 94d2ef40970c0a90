using KDirective.Directive;
using KDirective.Reminders;
using Microsoft.Extensions.Options;

namespace KDirective.Tests.Directive;

/// <summary>The milestone and reminder rules, pure: a history, a moment, an answer.</summary>
public class MilestoneRulesTests
{
    private static readonly DirectiveCalendar Calendar = DirectiveCalendarTests.Calendar();
    private static readonly MilestoneEvaluator Evaluator = new(Calendar);
    private static readonly ReminderPlanner Planner = new(Evaluator, Options.Create(new ReminderOptions()));

    private static DateTimeOffset At(int month, int day, int year = 2017) => Calendar.At(new DateOnly(year, month, day), new TimeOnly(9, 0));

    private static AgencyHistory History(params (DateTimeOffset At, bool Findings)[] inventories) =>
        new(inventories.Select(i => new InventoryFact(i.At, i.Findings)).ToArray(), []);

    private static IReadOnlyList<ReminderPoint> Plan(AgencyHistory history, DateTimeOffset asOf) =>
        Planner.Plan("ag", Evaluator.Evaluate(history, asOf), asOf);

    private static MilestoneState State(AgencyHistory history, DateTimeOffset asOf, string milestone, int period = 0) =>
        Evaluator.Evaluate(history, asOf).States.Single(s => s.Milestone == milestone && s.Period == period);

    [Fact]
    public void NoInventory_ThreeDaysBefore_GetsTheThreeDayReminder()
    {
        var point = Assert.Single(Plan(History(), At(10, 10)));

        Assert.Equal((MilestoneIds.Inventory, "before-3", ReminderKinds.Upcoming, 3), (point.Milestone, point.Point, point.Kind, point.DaysBefore));
    }

    [Fact]
    public void MissedRuns_CatchUpSendsOnlyTheLatestPoint()
    {
        // Runs on 29 Sep, 6 Oct and 10 Oct were all missed: on 11 Oct only the 3-day reminder (2 days left) is due.
        var point = Assert.Single(Plan(History(), At(10, 11)));

        Assert.Equal(("before-3", 2), (point.Point, point.DaysBefore));
    }

    [Theory]
    [InlineData(9, 28, null)]
    [InlineData(9, 29, "before-14")]
    [InlineData(10, 5, "before-14")]
    [InlineData(10, 6, "before-7")]
    [InlineData(10, 12, "before-1")]
    [InlineData(10, 13, "due")]
    [InlineData(10, 14, "overdue-1")]
    [InlineData(10, 20, "overdue-1")]
    [InlineData(10, 21, "overdue-2")]
    [InlineData(10, 28, "overdue-3")]
    public void InventoryReminderPoints_FollowTheConfiguredDays(int month, int day, string? expected)
    {
        var points = Plan(History(), At(month, day)).Where(p => p.Milestone == MilestoneIds.Inventory);

        Assert.Equal(expected, points.SingleOrDefault()?.Point);
    }

    [Fact]
    public void MetMilestone_GetsNoReminder()
    {
        var history = History((At(10, 2), true));

        Assert.Empty(Plan(history, At(10, 10)));
        Assert.Equal((MilestoneStateKind.Met, false), (State(history, At(10, 10), MilestoneIds.Inventory).State, State(history, At(10, 10), MilestoneIds.Inventory).Late));
    }

    [Fact]
    public void InventoryAfterTheDeadline_IsMetLate()
    {
        var state = State(History((At(10, 20), true)), At(10, 25), MilestoneIds.Inventory);

        Assert.Equal(MilestoneStateKind.Met, state.State);
        Assert.True(state.Late);
    }

    [Fact]
    public void InventoryReceivedAtTheLastSecondOfTheDueDay_IsOnTime()
    {
        var state = State(History((Calendar.EndOf(new DateOnly(2017, 10, 13)), false)), At(10, 25), MilestoneIds.Inventory);

        Assert.False(state.Late);
    }

    [Fact]
    public void CleanInventory_MeansNoPlanNoRemovalAndNoStatusReports()
    {
        var history = History((At(10, 2), false));
        var milestones = Evaluator.Evaluate(history, At(2, 1, 2018));

        Assert.Equal(MilestoneStateKind.NotRequired, milestones.States.Single(s => s.Milestone == MilestoneIds.Plan).State);
        Assert.Equal(MilestoneStateKind.NotRequired, milestones.States.Single(s => s.Milestone == MilestoneIds.Implementation).State);
        Assert.DoesNotContain(milestones.States, s => s.Milestone == MilestoneIds.Status);
        Assert.Empty(Plan(history, At(2, 1, 2018)));
    }

    [Fact]
    public void FindingsWithoutPlan_AfterTheDueDate_AreOverdueAndTheNoticeIsOverdue()
    {
        var history = History((At(10, 2), true));

        var point = Assert.Single(Plan(history, At(11, 13)));

        Assert.Equal((MilestoneIds.Plan, ReminderKinds.Overdue, "overdue-1"), (point.Milestone, point.Kind, point.Point));
        Assert.Equal(MilestoneStateKind.Overdue, State(history, At(11, 13), MilestoneIds.Plan).State);
    }

    [Fact]
    public void Day90_RemindsAboutRemovalOnlyAgenciesWithFindings()
    {
        var withFindings = Plan(History((At(10, 2), true)) with { Plans = [At(11, 1)] }, At(12, 12));
        var clean = Plan(History((At(10, 2), false)), At(12, 12));

        // Removal is a deadline like the others (see ReminderPlannerTests); a clean agency never has one.
        Assert.All(withFindings, p => Assert.Equal(MilestoneIds.Implementation, p.Milestone));
        Assert.Empty(clean);
    }

    [Fact]
    public void StatusPeriods_AreMetByAnInventoryWithinThePeriod()
    {
        var history = History((At(10, 2), true), (At(1, 5, 2018), true)) with { Plans = [At(11, 1)] };
        var asOf = At(2, 20, 2018);

        Assert.Equal(MilestoneStateKind.Met, State(history, asOf, MilestoneIds.Status, 1).State);
        Assert.Equal(MilestoneStateKind.Overdue, State(history, asOf, MilestoneIds.Status, 2).State);
        var point = Plan(history, asOf).Single(p => p.Milestone == MilestoneIds.Status);
        Assert.Equal((2, ReminderKinds.Overdue), (point.Period, point.Kind));
    }

    [Fact]
    public void CleanInventoryAfterDay90_CompletesRemovalAndStopsStatusReports()
    {
        var cleanAt = At(1, 5, 2018);
        var history = History((At(10, 2), true), (cleanAt, false)) with { Plans = [At(11, 1)] };
        var milestones = Evaluator.Evaluate(history, At(6, 1, 2018));

        Assert.Equal(cleanAt, milestones.RemovalCompletedAt);
        var period = Assert.Single(milestones.States, s => s.Milestone == MilestoneIds.Status);
        Assert.Equal((1, MilestoneStateKind.Met), (period.Period, period.State));
        Assert.Empty(Plan(history, At(6, 1, 2018)));
    }
}
