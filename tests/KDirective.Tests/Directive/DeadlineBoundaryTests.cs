using KDirective.Directive;

namespace KDirective.Tests.Directive;

/// <summary>
/// The moments where a milestone changes state: a due time is met up to its last second and overdue one second
/// later, a status period begins the second after the previous one ends, and removal start counts evidence from the
/// first second of its day.
/// </summary>
public class DeadlineBoundaryTests
{
    private static readonly DirectiveCalendar Calendar = DirectiveCalendarTests.Calendar();
    private static readonly MilestoneEvaluator Evaluator = new(Calendar);
    private static readonly DateTimeOffset InventoryDue = Calendar.EndOf(Calendar.Day(30));
    private static readonly DateTimeOffset RemovalDay = Calendar.StartOf(Calendar.Day(90));
    private static readonly DateTimeOffset Period1Due = Calendar.EndOf(Calendar.Day(120));

    private static DateTimeOffset At(int month, int day, int year = 2017) => Calendar.At(new DateOnly(year, month, day), new TimeOnly(9, 0));

    private static MilestoneState State(AgencyHistory history, DateTimeOffset asOf, string milestone, int period = 0) =>
        Evaluator.Evaluate(history, asOf).States.Single(s => s.Milestone == milestone && s.Period == period);

    private static AgencyHistory WithFindings(params InventoryFact[] later) =>
        new([new InventoryFact(At(10, 2), true, 40), .. later], [At(11, 1)]);

    [Fact]
    public void AnUnmetDeadline_IsPendingUpToItsLastSecond_AndOverdueTheSecondAfter()
    {
        var none = new AgencyHistory([], []);

        Assert.Equal(MilestoneStateKind.Pending, State(none, At(10, 1), MilestoneIds.Inventory).State);
        Assert.Equal(MilestoneStateKind.Pending, State(none, InventoryDue, MilestoneIds.Inventory).State);
        Assert.Equal(MilestoneStateKind.Overdue, State(none, InventoryDue.AddSeconds(1), MilestoneIds.Inventory).State);
    }

    [Fact]
    public void RemovalStart_WithoutEvidence_IsPendingUpToTheLastSecondOfItsDay()
    {
        var dueAt = Calendar.EndOf(Calendar.Day(90));

        Assert.Equal(MilestoneStateKind.Pending, State(WithFindings(), dueAt, MilestoneIds.Implementation).State);
        Assert.Equal(MilestoneStateKind.NoProgress, State(WithFindings(), dueAt.AddSeconds(1), MilestoneIds.Implementation).State);
    }

    [Fact]
    public void FewerEndpointsReceivedInTheFirstSecondOfRemovalDay_AreEvidence()
    {
        var state = State(WithFindings(new InventoryFact(RemovalDay, true, 10)), At(12, 20), MilestoneIds.Implementation);

        Assert.Equal((MilestoneStateKind.Met, RemovalDay), (state.State, state.MetAt));
    }

    [Fact]
    public void RemovalStart_IsMetByTheEarlierOfProgressAndCompletion()
    {
        var progress = At(12, 14);
        var history = WithFindings(new InventoryFact(progress, true, 10), new InventoryFact(At(12, 20), false, 0));

        Assert.Equal(progress, State(history, At(1, 5, 2018), MilestoneIds.Implementation).MetAt);
    }

    [Fact]
    public void AStatusPeriod_IsPendingUntilItsLastSecond_ThenOverdue()
    {
        Assert.Equal(MilestoneStateKind.Pending, State(WithFindings(), At(12, 20), MilestoneIds.Status, 1).State);
        Assert.Equal(MilestoneStateKind.Pending, State(WithFindings(), Period1Due, MilestoneIds.Status, 1).State);
        Assert.Equal(MilestoneStateKind.Overdue, State(WithFindings(), Period1Due.AddSeconds(1), MilestoneIds.Status, 1).State);
    }

    [Fact]
    public void AnInventoryInAPeriodsLastSecond_MeetsThatPeriodOnTime_NotTheNext()
    {
        var history = WithFindings(new InventoryFact(Period1Due, true, 40));
        var asOf = At(1, 20, 2018);

        var first = State(history, asOf, MilestoneIds.Status, 1);
        var second = State(history, asOf, MilestoneIds.Status, 2);

        Assert.Equal((MilestoneStateKind.Met, false), (first.State, first.Late));
        Assert.Equal(MilestoneStateKind.Pending, second.State);
    }

    [Fact]
    public void AtTheMomentAPeriodBegins_ItAndTheNextAreListed()
    {
        var periods = Evaluator.Evaluate(WithFindings(), Period1Due).States.Where(s => s.Milestone == MilestoneIds.Status).Select(s => s.Period);

        Assert.Equal([1, 2, 3], periods);
    }

    [Fact]
    public void AnAgencyThatNeverSentAnInventory_OwesStatusReportsAfterRemovalDay()
    {
        var state = State(new AgencyHistory([], []), Period1Due.AddDays(1), MilestoneIds.Status, 1);

        Assert.Equal(MilestoneStateKind.Overdue, state.State);
    }

    [Fact]
    public void ACleanInventoryBeforeAnyFindings_CompletesNoRemoval()
    {
        var history = new AgencyHistory([new InventoryFact(At(10, 2), false, 0), new InventoryFact(At(10, 20), true, 40)], [At(11, 1)]);

        var milestones = Evaluator.Evaluate(history, At(1, 5, 2018));

        Assert.Null(milestones.RemovalCompletedAt);
        Assert.Equal(MilestoneStateKind.NoProgress, milestones.States.Single(s => s.Milestone == MilestoneIds.Implementation).State);
    }

    [Fact]
    public void ALocalTimeThatHappensTwice_IsTheFirstOfTheTwo() =>
        Assert.Equal(new DateTimeOffset(2017, 11, 5, 5, 30, 0, TimeSpan.Zero), Calendar.At(new DateOnly(2017, 11, 5), new TimeOnly(1, 30))); // EDT, UTC-4
}
