using KDirective.Agencies;
using KDirective.Directive;
using KDirective.Email;
using KDirective.Reminders;
using Microsoft.Extensions.Options;

namespace KDirective.Tests.Email;

/// <summary>
/// What a reminder digest says besides its items: where the agency stands on milestones already past (removal
/// under way or not, reports still outstanding), and the calendar it attaches. Pure: no storage, no sender.
/// </summary>
public sealed class DigestBodyTests
{
    private static readonly DirectiveCalendar Calendar = new(Options.Create(new DirectiveOptions()));
    private static readonly Agency Agency = new("sba", "Small Business Administration", ["it@sba.example.gov"], ["cio@sba.example.gov"]);

    // 8 Jan 2018: three days before the first status report (day 120); inventory, plan and implementation are past.
    private static readonly DateOnly Today = new(2018, 1, 8);
    private static readonly DateOnly PlanDue = Calendar.Day(Calendar.Options.PlanDays);
    private static readonly DateOnly RemovalDue = Calendar.Day(Calendar.Options.ImplementationDays);

    [Fact]
    public void PastMilestonesStillOpen_AreListedAsWhereTheAgencyStands()
    {
        var text = Compose(PlanState(MilestoneStateKind.Overdue), MilestoneStateKind.Pending, removalCompletedAt: null);

        Assert.Contains("Where your agency stands:", text);
        Assert.Contains($"  - {ReminderDigest.Title(MilestoneIds.Plan, 0)}: still outstanding since {DirectiveCalendar.Display(PlanDue)}.", text);
        Assert.Contains($"  - Removal of Kaspersky products was due to begin on {DirectiveCalendar.Display(RemovalDue)}; status reports follow every 30 days until an inventory shows none.", text);
        Assert.Contains("due in 3 days", text);
        Assert.Contains("The attached calendar holds every upcoming deadline", text);
    }

    [Theory]
    [InlineData(MilestoneStateKind.NotRequired, false)] // nothing was found: there is nothing to remove
    [InlineData(MilestoneStateKind.Pending, true)] // removal already complete
    public void RemovalNotOwed_IsNotMentioned(MilestoneStateKind implementation, bool removalDone)
    {
        var text = Compose(PlanState(MilestoneStateKind.Met), implementation, removalDone ? new DateTimeOffset(2017, 12, 20, 15, 0, 0, TimeSpan.Zero) : null);

        Assert.DoesNotContain("Removal of Kaspersky products was due", text);
        Assert.DoesNotContain("still outstanding", text); // the plan was met
        Assert.DoesNotContain("Where your agency stands:", text);
        Assert.Contains("due in 3 days", text); // the digest itself is still there
    }

    [Fact]
    public void NoDeadlineAhead_NoCalendarIsAttached_NorPromised()
    {
        var past = new DateOnly(2017, 11, 12);
        var milestones = new AgencyMilestones([new MilestoneState(MilestoneIds.Plan, 0, past, Calendar.EndOf(past), MilestoneStateKind.Overdue)], null);
        var items = new[] { new ReminderPoint(Agency.Id, MilestoneIds.Plan, 0, "overdue-2", ReminderKinds.Overdue, Today, past, 0) };
        var noon = new DateTimeOffset(Today.ToDateTime(new TimeOnly(17, 0)), TimeSpan.Zero);

        Assert.Null(IcsCalendar.Deadlines(Calendar, Agency, milestones, Today, noon));
        var digest = ReminderDigest.Compose(Calendar, Agency, items, milestones, noon, noon);
        Assert.Empty(digest.Message.Attachments);
        Assert.DoesNotContain("attached calendar", digest.Message.Text);
    }

    [Fact]
    public void ReceiptOfARejectedFile_GivesTheReason()
    {
        var submission = new KDirective.Ingestion.SubmissionEntity
        {
            PartitionKey = Agency.Id,
            RowKey = "s1",
            BlobName = "sba/inventory.csv",
            Kind = KDirective.Ingestion.SubmissionKinds.Inventory,
            Outcome = KDirective.Ingestion.SubmissionOutcomes.Rejected,
            State = KDirective.Ingestion.SubmissionEntity.Complete,
            ReceivedAt = new DateTimeOffset(2017, 10, 2, 14, 0, 0, TimeSpan.Zero),
            Error = "line 1: the file is empty <none>",
        };

        var receipt = ReceiptEmail.Compose(new DirectiveOptions(), Agency, submission, null);

        Assert.Contains("could not accept it.", receipt.Text);
        Assert.Contains("Reason: line 1: the file is empty <none>", receipt.Text);
        Assert.Contains("<p>Reason: line 1: the file is empty &lt;none&gt;</p>", receipt.Html);
    }

    private static MilestoneState PlanState(MilestoneStateKind kind) =>
        new(MilestoneIds.Plan, 0, PlanDue, Calendar.EndOf(PlanDue), kind, kind == MilestoneStateKind.Met ? Calendar.EndOf(PlanDue).AddDays(-3) : null);

    private static string Compose(MilestoneState plan, MilestoneStateKind implementation, DateTimeOffset? removalCompletedAt)
    {
        var inventoryDue = Calendar.Day(Calendar.Options.InventoryDays);
        var statusDue = new DateOnly(2018, 1, 11);
        var milestones = new AgencyMilestones(
        [
            new MilestoneState(MilestoneIds.Inventory, 0, inventoryDue, Calendar.EndOf(inventoryDue), MilestoneStateKind.Met, Calendar.EndOf(inventoryDue).AddDays(-5)),
            plan,
            new MilestoneState(MilestoneIds.Implementation, 0, RemovalDue, Calendar.EndOf(RemovalDue), implementation),
            new MilestoneState(MilestoneIds.Status, 1, statusDue, Calendar.EndOf(statusDue), MilestoneStateKind.Pending),
        ], removalCompletedAt);
        var items = new[] { new ReminderPoint(Agency.Id, MilestoneIds.Status, 1, "before-3", ReminderKinds.Upcoming, Today, statusDue, 3) };
        var noon = new DateTimeOffset(Today.ToDateTime(new TimeOnly(17, 0)), TimeSpan.Zero);

        var digest = ReminderDigest.Compose(Calendar, Agency, items, milestones, noon, noon);

        Assert.Equal(digest.Message.Text.Contains("Where your agency stands:"), digest.Message.Html.Contains("Where your agency stands:"));
        return digest.Message.Text;
    }
}
