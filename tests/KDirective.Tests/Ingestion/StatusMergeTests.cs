using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// The status row changes only when a submission changes it, says when its endpoint count is an estimate, orders
/// same-second uploads by name then id, and gives up on a conflict that never ends rather than retrying forever.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class StatusMergeTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Day = new(2017, 10, 2, 15, 0, 0, TimeSpan.Zero);

    internal static SubmissionEntity Accepted(string agency, string name, string id, DateTimeOffset receivedAt, long? endpoints, string findingsJson = "[]") => new()
    {
        PartitionKey = agency,
        RowKey = id,
        Kind = SubmissionKinds.Inventory,
        BlobName = $"{agency}/{name}",
        ReceivedAt = receivedAt,
        Outcome = SubmissionOutcomes.Accepted,
        State = SubmissionEntity.Complete,
        EndpointsAffected = endpoints,
        FindingsJson = findingsJson,
    };

    [Fact]
    public async Task SubmissionThatChangesNothing_LeavesTheRowUntouched()
    {
        var store = new StatusStore(azurite.Connect());
        var agency = Pipeline.NewAgencyId();
        var week1 = Accepted(agency, "week1.csv", "11", Day, 4);
        var week2 = Accepted(agency, "week2.csv", "22", Day.AddDays(7), 2);
        await store.ApplyAsync(week1);
        var written = (await store.FindAsync(agency))!.ETag;

        await store.ApplyAsync(week1); // a redelivery

        Assert.Equal(written, (await store.FindAsync(agency))!.ETag);
        await store.ApplyAsync(week2);
        var latest = (await store.FindAsync(agency))!;
        Assert.NotEqual(written, latest.ETag);

        await store.ApplyAsync(week1); // neither the first nor the latest any more
        await store.ApplyAsync(week2);

        Assert.Equal(latest.ETag, (await store.FindAsync(agency))!.ETag);
    }

    [Fact]
    public async Task EndpointCount_IsMarkedEstimated_OnlyWhenTheFileGaveNone()
    {
        var store = new StatusStore(azurite.Connect());
        var counted = Pipeline.NewAgencyId();
        var estimated = Pipeline.NewAgencyId();

        await store.ApplyAsync(Accepted(counted, "inv.csv", "11", Day, 4));
        await store.ApplyAsync(Accepted(estimated, "agg.csv", "11", Day, null, """[{"product":"Kaspersky Anti-Virus","endpoints":7,"versions":[]},{"product":"Kaspersky Endpoint Security for Windows","endpoints":30,"versions":[]}]"""));

        var a = (await store.FindAsync(counted))!;
        var b = (await store.FindAsync(estimated))!;
        Assert.Equal((false, 4L), (a.LatestEndpointsEstimated, a.LatestEndpointsAffected));
        Assert.Equal((true, 30L), (b.LatestEndpointsEstimated, b.LatestEndpointsAffected)); // at least the largest product's count
    }

    [Theory]
    [InlineData("inv.csv", "f0", "inv.csv", "0a", "f0")] // same name: the larger id
    [InlineData("inv", "f0", "inv0", "00", "00")] // the name decides before the id, even when one name begins the other
    public async Task SameSecond_NameThenId_DecideTheLatest_InEitherOrder(string name1, string id1, string name2, string id2, string latest)
    {
        foreach (var firstIsOne in new[] { true, false })
        {
            var store = new StatusStore(azurite.Connect());
            var agency = Pipeline.NewAgencyId();
            var one = Accepted(agency, name1, id1, Day, 1);
            var two = Accepted(agency, name2, id2, Day, 2);

            await store.ApplyAsync(firstIsOne ? one : two);
            await store.ApplyAsync(firstIsOne ? two : one);

            Assert.Equal(latest, (await store.FindAsync(agency))!.LatestSubmissionId);
        }
    }

    [Fact]
    public async Task ConflictThatNeverEnds_IsGivenUpAfterTheLastAttempt()
    {
        var agency = Pipeline.NewAgencyId();
        var other = azurite.Connect().Tables.GetTableClient(StorageNames.StatusTable);
        await new StatusStore(azurite.Connect()).ApplyAsync(Accepted(agency, "week1.csv", "11", Day, 1));
        var race = new AlwaysCompeting(other, agency);
        var settings = new StorageClientSettings();
        settings.Policies.Add(race);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => new StatusStore(azurite.Connect(settings)).ApplyAsync(Accepted(agency, "week2.csv", "22", Day.AddDays(7), 2), timeout.Token));

        Assert.Equal(412, e.Status);
        Assert.Equal(StatusStore.MaxAttempts, race.Writes);
    }

    [Fact]
    public async Task FailureOtherThanAConflict_IsNotRetried()
    {
        var agency = Pipeline.NewAgencyId();
        var fault = new FaultInjection(m => CompetingWrite.IsWriteTo(m, StorageNames.StatusTable), failOnMatch: 1);
        var settings = new StorageClientSettings();
        settings.Policies.Add(fault);
        var store = new StatusStore(azurite.Connect(settings));

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => store.ApplyAsync(Accepted(agency, "week1.csv", "11", Day, 1)));

        Assert.Equal((503, 1), (e.Status, fault.Failures));
        Assert.Null(await store.FindAsync(agency)); // the storage error reaches the caller (the trigger retries the blob)
    }

    /// <summary>Before every write to the status row, changes the row through another client: each conditional write meets a new ETag.</summary>
    private sealed class AlwaysCompeting(TableClient other, string agency) : HttpPipelinePolicy
    {
        private int _writes;

        public int Writes => _writes;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (CompetingWrite.IsWriteTo(message, StorageNames.StatusTable))
            {
                var n = Interlocked.Increment(ref _writes);
                await other.UpsertEntityAsync(new TableEntity(agency, AgencyStatusEntity.Row) { ["Touched"] = n }, TableUpdateMode.Merge).ConfigureAwait(false);
            }

            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
    }
}
