using KDirective.Directive;

namespace KDirective.Tests.Directive;

/// <summary>Removal start is met only with evidence: day 90 arriving proves nothing.</summary>
public class ImplementationEvidenceTests
{
    private static readonly DirectiveCalendar Calendar = DirectiveCalendarTests.Calendar();
    private static readonly MilestoneEvaluator Evaluator = new(Calendar);

    private static DateTimeOffset At(int month, int day, int year = 2017) => Calendar.At(new DateOnly(year, month, day), new TimeOnly(9, 0));

    private static AgencyHistory History(params InventoryFact[] inventories) => new(inventories, [At(11, 1)]);

    private static MilestoneState Implementation(AgencyHistory history, DateTimeOffset asOf) =>
        Evaluator.Evaluate(history, asOf).States.Single(s => s.Milestone == MilestoneIds.Implementation);

    [Fact]
    public void AgencyThatNeverSentAnInventory_AfterDay90_ShowsNoProgressNotMet()
    {
        var state = Implementation(new AgencyHistory([], []), At(1, 15, 2018));

        Assert.Equal(MilestoneStateKind.NoProgress, state.State);
        Assert.True(state.IsOverdue);
        Assert.Null(state.MetAt);
    }

    [Fact]
    public void FindingsAndNoLaterInventory_AfterDay90_ShowsNoProgress()
    {
        var state = Implementation(History(new InventoryFact(At(10, 2), true, 40)), At(1, 15, 2018));

        Assert.Equal((MilestoneStateKind.NoProgress, "noProgress"), (state.State, state.StateLabel));
        Assert.Contains("NO PROGRESS", state.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void OnDay90ItselfWithoutEvidence_IsStillPending()
    {
        var state = Implementation(History(new InventoryFact(At(10, 2), true, 40)), At(12, 12));

        Assert.Equal(MilestoneStateKind.Pending, state.State);
    }

    [Fact]
    public void StatusReportWithFewerAffectedEndpointsThanTheFirst_MeetsIt()
    {
        var reportAt = At(12, 20);
        var state = Implementation(History(new InventoryFact(At(10, 2), true, 40), new InventoryFact(reportAt, true, 12)), At(1, 15, 2018));

        Assert.Equal((MilestoneStateKind.Met, reportAt, true), (state.State, state.MetAt, state.Late));
    }

    [Fact]
    public void StatusReportWithAsManyAffectedEndpoints_IsNoEvidence()
    {
        var state = Implementation(History(new InventoryFact(At(10, 2), true, 40), new InventoryFact(At(12, 20), true, 40)), At(1, 15, 2018));

        Assert.Equal(MilestoneStateKind.NoProgress, state.State);
    }

    [Fact]
    public void FewerEndpointsBeforeDay90_IsNoEvidenceOfRemovalStarting()
    {
        var state = Implementation(History(new InventoryFact(At(10, 2), true, 40), new InventoryFact(At(11, 20), true, 5)), At(1, 15, 2018));

        Assert.Equal(MilestoneStateKind.NoProgress, state.State);
    }

    [Fact]
    public void PartialInventoryWithFewerEndpoints_IsNoEvidence()
    {
        var partial = new InventoryFact(At(12, 20), true, 3, PartialCoverage: true);

        var state = Implementation(History(new InventoryFact(At(10, 2), true, 40), partial), At(1, 15, 2018));

        Assert.Equal(MilestoneStateKind.NoProgress, state.State);
    }

    [Fact]
    public void RemovalCompleteBeforeDay90_MeetsItOnTime()
    {
        var cleanAt = At(11, 20);
        var state = Implementation(History(new InventoryFact(At(10, 2), true, 40), new InventoryFact(cleanAt, false, 0)), At(1, 15, 2018));

        Assert.Equal((MilestoneStateKind.Met, cleanAt, false), (state.State, state.MetAt, state.Late));
    }

    [Fact]
    public void EvidenceReceivedAfterTheAsOfMoment_DoesNotCountYet()
    {
        var history = History(new InventoryFact(At(10, 2), true, 40), new InventoryFact(At(1, 5, 2018), true, 10));

        Assert.Equal(MilestoneStateKind.NoProgress, Implementation(history, At(12, 20)).State);
    }

    [Fact]
    public void CleanButPartialInventory_LeavesRemovalOpenAndStatusReportsDue()
    {
        var history = History(new InventoryFact(At(10, 2), true, 40), new InventoryFact(At(1, 5, 2018), false, 0, PartialCoverage: true));

        var milestones = Evaluator.Evaluate(history, At(3, 1, 2018));

        Assert.Null(milestones.RemovalCompletedAt);
        Assert.Contains(milestones.States, s => s.Milestone == MilestoneIds.Status && s.State == MilestoneStateKind.Overdue);
    }

    [Fact]
    public void CleanFullInventoryAfterAPartialOne_CompletesRemoval()
    {
        var fullAt = At(2, 5, 2018);
        var history = History(new InventoryFact(At(10, 2), true, 40), new InventoryFact(At(1, 5, 2018), false, 0, PartialCoverage: true), new InventoryFact(fullAt, false, 0));

        Assert.Equal(fullAt, Evaluator.Evaluate(history, At(3, 1, 2018)).RemovalCompletedAt);
    }
}
