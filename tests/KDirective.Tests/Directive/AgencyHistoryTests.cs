using KDirective.Directive;
using KDirective.Ingestion;

namespace KDirective.Tests.Directive;

/// <summary>Which stored submissions the milestone rules see, and what each inventory tells them.</summary>
public class AgencyHistoryTests
{
    private static readonly DateTimeOffset AsOf = new(2017, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static SubmissionEntity Submission(
        string blob,
        int day,
        string kind = SubmissionKinds.Inventory,
        string outcome = SubmissionOutcomes.Accepted,
        string state = SubmissionEntity.Complete,
        long? affected = 0,
        string findings = "[]",
        string? coverage = CoverageKinds.Full) => new()
    {
        PartitionKey = "sba",
        RowKey = blob,
        BlobName = blob,
        Kind = kind,
        Outcome = outcome,
        State = state,
        ReceivedAt = new DateTimeOffset(2017, 11, day, 9, 0, 0, TimeSpan.Zero),
        EndpointsAffected = affected,
        FindingsJson = findings,
        Coverage = coverage,
    };

    [Fact]
    public void OnlyAcceptedCompleteSubmissionsReceivedByTheMoment_Count()
    {
        var history = AgencyHistory.From(
        [
            Submission("counted.csv", 2),
            Submission("rejected.csv", 3, outcome: SubmissionOutcomes.Rejected),
            Submission("processing.csv", 4, state: SubmissionEntity.Processing),
            Submission("later.csv", 30),
            Submission("plan.pdf", 5, kind: SubmissionKinds.Plan),
            Submission("rejected-plan.pdf", 6, kind: SubmissionKinds.Plan, outcome: SubmissionOutcomes.Rejected),
        ], AsOf);

        Assert.Equal([new DateTimeOffset(2017, 11, 2, 9, 0, 0, TimeSpan.Zero)], history.Inventories.Select(i => i.ReceivedAt));
        Assert.Equal([new DateTimeOffset(2017, 11, 5, 9, 0, 0, TimeSpan.Zero)], history.Plans);
    }

    [Fact]
    public void ASubmissionReceivedAtTheMomentItself_Counts()
    {
        var exactly = Submission("exact.csv", 1);
        exactly.ReceivedAt = AsOf;

        Assert.Single(AgencyHistory.From([exactly], AsOf).Inventories);
    }

    [Fact]
    public void Inventories_AreInOrderOfArrival_TheSameSecondByBlobName()
    {
        var history = AgencyHistory.From(
        [
            Submission("b.csv", 9, affected: 2),
            Submission("c.csv", 3, affected: 3),
            Submission("a.csv", 9, affected: 1),
        ], AsOf);

        Assert.Equal([3L, 1L, 2L], history.Inventories.Select(i => i.AffectedEndpoints!.Value));
    }

    [Fact]
    public void Plans_AreInOrderOfArrival()
    {
        var history = AgencyHistory.From(
        [
            Submission("second.pdf", 20, kind: SubmissionKinds.Plan),
            Submission("first.pdf", 10, kind: SubmissionKinds.Plan),
        ], AsOf);

        Assert.Equal([10, 20], history.Plans.Select(p => p.Day));
    }

    [Theory]
    [InlineData(0L, "[]", false)]
    [InlineData(0L, "", false)]
    [InlineData(3L, "[]", true)]
    [InlineData(0L, """[{"product":"Kaspersky Endpoint Security","endpoints":5,"versions":[]}]""", true)]
    public void AnInventoryHasFindings_WhenItCountsAffectedEndpoints_OrListsAProduct(long affected, string findings, bool expected) =>
        Assert.Equal(expected, AgencyHistory.From([Submission("x.csv", 2, affected: affected, findings: findings)], AsOf).Inventories[0].HasFindings);

    [Fact]
    public void AnAggregatedExport_CountsItsLargestProductAsTheAffectedEndpoints()
    {
        const string findings = """
            [{"product":"Kaspersky Endpoint Security","endpoints":5,"versions":[]},
             {"product":"Kaspersky Security Center Network Agent","endpoints":12,"versions":[]}]
            """;

        var inventory = AgencyHistory.From([Submission("x.csv", 2, affected: null, findings: findings)], AsOf).Inventories[0];

        Assert.Equal((true, 12L), (inventory.HasFindings, inventory.AffectedEndpoints));
    }

    [Fact]
    public void AnAggregatedExportWithoutFindings_CountsNoAffectedEndpoints() =>
        Assert.Equal(0L, AgencyHistory.From([Submission("x.csv", 2, affected: null)], AsOf).Inventories[0].AffectedEndpoints);

    [Fact]
    public void OnlyAPartialInventory_IsMarkedPartial()
    {
        var history = AgencyHistory.From(
        [
            Submission("full.csv", 2),
            Submission("partial.csv", 3, coverage: CoverageKinds.Partial),
            Submission("unknown.csv", 4, coverage: null),
        ], AsOf);

        Assert.Equal([false, true, false], history.Inventories.Select(i => i.PartialCoverage));
    }

    [Fact]
    public void TheLatestInventory_DecidesWhetherFindingsAreKnown_AndNoneYetCountsAsNotKnownClean()
    {
        Assert.True(new AgencyHistory([], []).LatestHasFindings);
        Assert.False(AgencyHistory.From([Submission("dirty.csv", 2, affected: 4), Submission("clean.csv", 3)], AsOf).LatestHasFindings);
        Assert.True(AgencyHistory.From([Submission("clean.csv", 2), Submission("dirty.csv", 3, affected: 4)], AsOf).LatestHasFindings);
    }
}
