using Azure;
using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

/// <summary>An upload that changes or vanishes while it is processed is never recorded as the version it no longer is.</summary>
[Collection(AzuriteCollection.Name)]
public class UploadRaceTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Day = new(2017, 10, 2, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task BlobOverwrittenAfterItsPropertiesWereRead_IsNotDownloadedAsTheVersionThatWasRead()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var blob = await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(2));
        var read = (await blob.GetPropertiesAsync()).Value.ETag; // what ingestion derives the submission id from

        await using (var current = await new BlobInventorySource(blob, read).OpenAsync())
        {
            Assert.Equal(Uploads.Inventory(2), await new StreamReader(current).ReadToEndAsync());
        }

        await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(9)); // the agency uploads again
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => new BlobInventorySource(blob, read).OpenAsync());

        Assert.Equal(412, e.Status); // the new content is never read under the old version's id; its own event processes it
    }

    [Fact]
    public async Task StuckSubmissionWhoseBlobWasDeleted_IsRemoved()
    {
        var (services, _, time) = SweepTests.Crashing(azurite);
        await using var _ = services;
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var blob = await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(30));
        await Assert.ThrowsAsync<RequestFailedException>(() => services.GetRequiredService<IngestionService>().IngestAsync(blob));
        var stuck = Assert.Single(await services.GetRequiredService<SubmissionStore>().ListProcessingAsync(), s => s.Agency == agency);
        await blob.DeleteAsync();

        time.Advance(TimeSpan.FromMinutes(61));
        var result = await services.GetRequiredService<SubmissionSweeper>().RunAsync();

        Assert.Contains(result.Removed, s => s.SubmissionId == stuck.SubmissionId);
        Assert.DoesNotContain(result.Failed, s => s.SubmissionId == stuck.SubmissionId);
        Assert.Null(await services.GetRequiredService<SubmissionStore>().FindAsync(agency, stuck.SubmissionId));
        Assert.Empty(await services.GetRequiredService<FindingStore>().ListAsync(agency, stuck.SubmissionId));
    }

    [Fact]
    public async Task DeleteIfUnchanged_LeavesASubmissionThatChangedSinceItWasRead()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<SubmissionStore>();
        var agency = Pipeline.NewAgencyId();
        var submission = new SubmissionEntity { PartitionKey = agency, RowKey = "s1", Kind = SubmissionKinds.Inventory, BlobName = $"{agency}/inv.csv", ReceivedAt = Day, StartedAt = Day };
        await store.MarkProcessingAsync(submission);
        var read = (await store.FindAsync(agency, "s1"))!;
        await store.CompleteAsync(new SubmissionEntity { PartitionKey = agency, RowKey = "s1", Kind = SubmissionKinds.Inventory, BlobName = $"{agency}/inv.csv", ReceivedAt = Day, State = SubmissionEntity.Complete, Outcome = SubmissionOutcomes.Accepted });

        await store.DeleteIfUnchangedAsync(read); // a retry completed it after the sweep read it

        Assert.Equal(SubmissionEntity.Complete, (await store.FindAsync(agency, "s1"))!.State);
        await store.DeleteIfUnchangedAsync((await store.FindAsync(agency, "s1"))!);
        Assert.Null(await store.FindAsync(agency, "s1"));
    }
}
