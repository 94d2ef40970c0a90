using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// The status row's read-modify-write under a conflict that is forced, not hoped for: another writer changes the
/// row between this writer's read and its conditional write, every run.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class StatusConflictTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Day = new(2017, 10, 2, 15, 0, 0, TimeSpan.Zero);

    private static SubmissionEntity Accepted(string agency, string name, DateTimeOffset receivedAt, long endpoints) =>
        StatusMergeTests.Accepted(agency, name, TableKeys.Hash(agency, name), receivedAt, endpoints);

    private (StatusStore Racing, CompetingWrite Race) RacingStore(Func<Task> competingWrite)
    {
        var race = new CompetingWrite(m => CompetingWrite.IsWriteTo(m, StorageNames.StatusTable), competingWrite);
        var settings = new StorageClientSettings();
        settings.Policies.Add(race);
        return (new StatusStore(azurite.Connect(settings)), race);
    }

    [Fact]
    public async Task Status_RowChangedBetweenReadAndWrite_IsReadAgainAndBothChangesKept()
    {
        var agency = Pipeline.NewAgencyId();
        var other = new StatusStore(azurite.Connect());
        await other.ApplyAsync(Accepted(agency, "week1.csv", Day.AddDays(1), endpoints: 1));
        var earlier = Accepted(agency, "week0.csv", Day, endpoints: 5); // changes only the first-inventory date
        var later = Accepted(agency, "week2.csv", Day.AddDays(2), endpoints: 9); // changes only the latest inventory
        var (racing, race) = RacingStore(() => other.ApplyAsync(earlier));

        await racing.ApplyAsync(later);

        Assert.True(race.Fired);
        Assert.Contains(412, race.Responses); // the first conditional write really met a changed row
        var status = await other.FindAsync(agency);
        Assert.Equal((Day, earlier.SubmissionId), (status!.FirstInventoryAt, status.FirstInventorySubmissionId));
        Assert.Equal((later.SubmissionId, 9L), (status.LatestSubmissionId, status.LatestEndpointsAffected));
    }

    [Fact]
    public async Task Status_RowCreatedBetweenReadAndInsert_IsReadAgainAndBothChangesKept()
    {
        var agency = Pipeline.NewAgencyId();
        var other = new StatusStore(azurite.Connect());
        var earlier = Accepted(agency, "week0.csv", Day, endpoints: 5);
        var later = Accepted(agency, "week2.csv", Day.AddDays(2), endpoints: 9);
        var (racing, race) = RacingStore(() => other.ApplyAsync(earlier));

        await racing.ApplyAsync(later);

        Assert.Contains(409, race.Responses); // the first insert met the other writer's row
        var status = await other.FindAsync(agency);
        Assert.Equal((Day, earlier.SubmissionId), (status!.FirstInventoryAt, status.FirstInventorySubmissionId));
        Assert.Equal((later.SubmissionId, 9L), (status.LatestSubmissionId, status.LatestEndpointsAffected));
    }
}
