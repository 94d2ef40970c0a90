using KDirective.Directive;
using KDirective.Reminders;
using KDirective.Tests.Directive;
using Microsoft.Extensions.Options;

namespace KDirective.Tests.Reminders;

/// <summary>What a run may announce: the planner on the real evaluator, and on states given directly.</summary>
public class ReminderPlannerTests
{
    private static readonly DirectiveCalendar Calendar = DirectiveCalendarTests.Calendar();
    private static readonly MilestoneEvaluator Evaluator = new(Calendar);
    private static readonly ReminderOptions Options = new();
    private static readonly ReminderPlanner Planner = new(Evaluator, Microsoft.Extensions.Options.Options.Create(Options));

    private static DateTimeOffset At(DateOnly day) => Calendar.At(day, new TimeOnly(9, 0));

    private static AgencyMilestones One(string milestone, DateOnly due, MilestoneStateKind state) =>
        new([new MilestoneState(milestone, 0, due, Calendar.EndOf(due), state)], null);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void OnAnyDayOfTheDirective_NoItemAnnouncesAMomentPastByMoreThanTheReminderInterval(bool inventory, bool findings)
    {
        var history = new AgencyHistory(inventory ? [new InventoryFact(At(new DateOnly(2017, 10, 2)), findings)] : [], []);
        for (var day = new DateOnly(2017, 9, 13); day < new DateOnly(2018, 9, 13); day = day.AddDays(1))
        {
            foreach (var point in Planner.Plan("ag", Evaluator.Evaluate(history, At(day)), At(day)))
            {
                Assert.True(day.DayNumber - point.PointDate.DayNumber < Options.OverdueEveryDays, $"{day}: {point.Key} is stale news");
                Assert.True(point.PointDate <= day, $"{day}: {point.Key} falls on {point.PointDate}, a day still to come");
                Assert.Equal(point.DueDate.DayNumber - day.DayNumber, point.DaysBefore);
                Assert.True(point.Kind != ReminderKinds.Due || point.DueDate == day, $"{day}: {point.Key} says due today");
                Assert.True(point.Kind != ReminderKinds.Upcoming || point.DueDate > day, $"{day}: {point.Key} says upcoming");
            }
        }
    }

    [Fact]
    public void AnyUnmetStateAfterItsDay_IsAnOverdueItem_WhateverTheEvaluatorCallsIt()
    {
        var due = new DateOnly(2017, 12, 12);
        var asOf = At(new DateOnly(2017, 12, 20));

        // Pending past its day stands for any unmet state the evaluator may add ("no progress shown").
        var pending = Assert.Single(Planner.Plan("ag", One(MilestoneIds.Implementation, due, MilestoneStateKind.Pending), asOf));
        var overdue = Assert.Single(Planner.Plan("ag", One(MilestoneIds.Implementation, due, MilestoneStateKind.Overdue), asOf));

        Assert.Equal((ReminderKinds.Overdue, "overdue-2"), (pending.Kind, pending.Point));
        Assert.Equal((new DateOnly(2017, 12, 20), -8), (pending.PointDate, pending.DaysBefore)); // 13th: overdue-1; 20th: overdue-2
        Assert.Equal(pending, overdue);
        Assert.Empty(Planner.Plan("ag", One(MilestoneIds.Implementation, due, MilestoneStateKind.Met), asOf));
    }

    [Fact]
    public void OnItsDay_RemovalIsADueItem_NotANoticeAboutIt()
    {
        var due = new DateOnly(2017, 12, 12);

        var point = Assert.Single(Planner.Plan("ag", One(MilestoneIds.Implementation, due, MilestoneStateKind.Pending), At(due)));

        Assert.Equal((ReminderKinds.Due, "due"), (point.Kind, point.Point));
    }

    [Fact]
    public void OfTwoOpenStatusPeriods_TheOneWhosePointIsMostRecent_IsRemindedOf()
    {
        // Period 1 went overdue on 1 Feb (its notices fall on the 2nd, 9th and 16th); period 2's 14-day notice falls on
        // the 17th. On the 21st the newer news is period 2's.
        var first = new DateOnly(2018, 2, 1);
        var milestones = new AgencyMilestones(
        [
            new MilestoneState(MilestoneIds.Status, 1, first, Calendar.EndOf(first), MilestoneStateKind.Overdue),
            new MilestoneState(MilestoneIds.Status, 2, first.AddDays(30), Calendar.EndOf(first.AddDays(30)), MilestoneStateKind.Pending),
        ], null);

        var point = Assert.Single(Planner.Plan("ag", milestones, At(first.AddDays(20))));

        Assert.Equal((2, "before-14", new DateOnly(2018, 2, 17)), (point.Period, point.Point, point.PointDate));
    }

    [Fact]
    public void Items_AreOrderedMostUrgentFirst()
    {
        var today = new DateOnly(2018, 1, 15);
        var milestones = new AgencyMilestones(
        [
            new MilestoneState(MilestoneIds.Status, 2, today.AddDays(3), Calendar.EndOf(today.AddDays(3)), MilestoneStateKind.Pending),
            new MilestoneState(MilestoneIds.Inventory, 0, today, Calendar.EndOf(today), MilestoneStateKind.Pending),
            new MilestoneState(MilestoneIds.Implementation, 0, today.AddDays(-2), Calendar.EndOf(today.AddDays(-2)), MilestoneStateKind.Overdue),
            new MilestoneState(MilestoneIds.Plan, 0, today.AddDays(-30), Calendar.EndOf(today.AddDays(-30)), MilestoneStateKind.Overdue),
        ], null);

        var points = Planner.Plan("ag", milestones, At(today));

        Assert.Equal([MilestoneIds.Plan, MilestoneIds.Implementation, MilestoneIds.Inventory, MilestoneIds.Status], points.Select(p => p.Milestone));
    }
}
