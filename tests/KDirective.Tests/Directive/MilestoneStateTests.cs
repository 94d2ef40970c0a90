using KDirective.Directive;

namespace KDirective.Tests.Directive;

/// <summary>How a milestone's state reads in the status text, the JSON and email subjects, and which one is next.</summary>
public class MilestoneStateTests
{
    private static readonly DateTimeOffset DueAt = new(2017, 10, 14, 3, 59, 59, TimeSpan.Zero);

    private static MilestoneState State(MilestoneStateKind kind, string milestone = MilestoneIds.Inventory, int daysLater = 0, DateTimeOffset? metAt = null) =>
        new(milestone, 0, new DateOnly(2017, 10, 13).AddDays(daysLater), DueAt.AddDays(daysLater), kind, metAt);

    [Theory]
    [InlineData(MilestoneStateKind.Pending, "pending", "pending", false)]
    [InlineData(MilestoneStateKind.Overdue, "overdue", "OVERDUE", true)]
    [InlineData(MilestoneStateKind.NotRequired, "notRequired", "not required", false)]
    [InlineData(MilestoneStateKind.NoProgress, "noProgress", "NO PROGRESS SHOWN (overdue)", true)]
    public void AnUnmetState_HasItsJsonLabel_ItsText_AndCountsAsOverdueOnlyWhenPast(MilestoneStateKind kind, string label, string text, bool overdue)
    {
        var state = State(kind);

        Assert.Equal((label, text, overdue, false), (state.StateLabel, state.Describe(), state.IsOverdue, state.Late));
    }

    [Fact]
    public void Met_AtTheLastSecondIsOnTime_ASecondLaterIsLate()
    {
        var onTime = State(MilestoneStateKind.Met, metAt: DueAt);
        var late = State(MilestoneStateKind.Met, metAt: DueAt.AddSeconds(1));

        Assert.Equal(("met", "met (2017-10-14)", false, false), (onTime.StateLabel, onTime.Describe(), onTime.Late, onTime.IsOverdue));
        Assert.Equal(("met late (2017-10-14)", true), (late.Describe(), late.Late));
    }

    [Theory]
    [InlineData(MilestoneIds.Inventory, "inventory report")]
    [InlineData(MilestoneIds.Plan, "removal plan")]
    [InlineData(MilestoneIds.Implementation, "removal start")]
    [InlineData(MilestoneIds.Status, "status report")]
    [InlineData("audit", "audit")]
    public void EachMilestone_HasTheTitleEmailsUse(string id, string title) =>
        Assert.Equal(title, MilestoneIds.Title(id));

    [Fact]
    public void NextDue_IsTheEarliestUnmetMilestone_NeverRemovalStart()
    {
        var milestones = new AgencyMilestones(
        [
            State(MilestoneStateKind.Met, MilestoneIds.Inventory, 0, DueAt),
            State(MilestoneStateKind.NoProgress, MilestoneIds.Implementation, 10),
            State(MilestoneStateKind.Pending, MilestoneIds.Status, 40),
            State(MilestoneStateKind.Overdue, MilestoneIds.Plan, 20),
            State(MilestoneStateKind.NotRequired, MilestoneIds.Plan, 15),
        ], null);

        Assert.Equal(MilestoneIds.Plan, milestones.NextDue?.Milestone);
        Assert.Equal(MilestoneStateKind.Overdue, milestones.NextDue?.State);
    }

    [Fact]
    public void NextDue_IsNothing_WhenEveryMilestoneIsMetOrNotRequired() =>
        Assert.Null(new AgencyMilestones([State(MilestoneStateKind.Met, metAt: DueAt), State(MilestoneStateKind.NotRequired, MilestoneIds.Plan)], null).NextDue);
}
