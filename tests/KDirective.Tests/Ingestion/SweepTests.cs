using Azure.Core;
using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KDirective.Tests.Ingestion;

/// <summary>A crash mid-ingestion leaves a submission in processing; the sweep completes it or removes it with its findings.</summary>
[Collection(AzuriteCollection.Name)]
public class SweepTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2017, 10, 2, 14, 0, 0, TimeSpan.Zero);

    /// <summary>Fails the result blob's upload: the findings are stored, the submission is left processing.</summary>
    internal static (ServiceProvider Services, FaultInjection Fault, FakeTimeProvider Time) Crashing(AzuriteFixture azurite)
    {
        var fault = new FaultInjection(m => m.Request.Method == RequestMethod.Put && m.Request.Uri.Path.Contains("/results/", StringComparison.Ordinal), failOnMatch: 1);
        var settings = new StorageClientSettings();
        settings.Policies.Add(fault);
        var time = new FakeTimeProvider(Start);
        return (Pipeline.Create(azurite, settings, time), fault, time);
    }

    private static async Task<SubmissionEntity?> FindAsync(IServiceProvider services, string agency, string submissionId) =>
        await services.GetRequiredService<SubmissionStore>().FindAsync(agency, submissionId);

    [Fact]
    public async Task StuckSubmissionWhoseBlobWasUploadedAgain_IsRemovedWithItsFindings()
    {
        var (services, fault, time) = Crashing(azurite);
        await using var _ = services;
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var ingestion = services.GetRequiredService<IngestionService>();
        var blob = await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(120));
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => ingestion.IngestAsync(blob));
        var stuck = Assert.Single(await services.GetRequiredService<SubmissionStore>().ListProcessingAsync(), s => s.Agency == agency);
        Assert.Equal(120, (await services.GetRequiredService<FindingStore>().ListAsync(agency, stuck.SubmissionId)).Count);

        var reupload = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(7)));
        time.Advance(TimeSpan.FromMinutes(61));
        var result = await services.GetRequiredService<SubmissionSweeper>().RunAsync();

        Assert.Contains(result.Removed, s => s.SubmissionId == stuck.SubmissionId);
        Assert.Null(await FindAsync(services, agency, stuck.SubmissionId));
        Assert.Empty(await services.GetRequiredService<FindingStore>().ListAsync(agency, stuck.SubmissionId));
        Assert.Equal(7, (await services.GetRequiredService<StatusStore>().FindAsync(agency))!.LatestEndpointsAffected);
        Assert.Equal(SubmissionEntity.Complete, (await FindAsync(services, agency, reupload.Submission.SubmissionId))!.State);
        Assert.Equal(1, fault.Failures);
    }

    [Fact]
    public async Task StuckSubmissionWhoseBlobIsUnchanged_IsProcessedAgainAndCompleted()
    {
        var (services, _, time) = Crashing(azurite);
        await using var __ = services;
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var blob = await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(30));
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => services.GetRequiredService<IngestionService>().IngestAsync(blob, Start));
        var stuck = Assert.Single(await services.GetRequiredService<SubmissionStore>().ListProcessingAsync(), s => s.Agency == agency);

        time.Advance(TimeSpan.FromHours(2));
        var result = await services.GetRequiredService<SubmissionSweeper>().RunAsync();

        Assert.Contains(result.Completed, s => s.SubmissionId == stuck.SubmissionId);
        var done = await FindAsync(services, agency, stuck.SubmissionId);
        Assert.Equal((SubmissionEntity.Complete, Start), (done!.State, done.ReceivedAt));
        Assert.Equal(30, (await services.GetRequiredService<StatusStore>().FindAsync(agency))!.LatestEndpointsAffected);
    }

    [Fact]
    public async Task SubmissionProcessingForLessThanAnHour_IsLeftAlone()
    {
        var (services, _, time) = Crashing(azurite);
        await using var _ = services;
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var blob = await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(5));
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => services.GetRequiredService<IngestionService>().IngestAsync(blob));

        time.Advance(TimeSpan.FromMinutes(59));
        var result = await services.GetRequiredService<SubmissionSweeper>().RunAsync();

        Assert.DoesNotContain(result.Completed.Concat(result.Removed), s => s.Agency == agency);
        Assert.Single(await services.GetRequiredService<SubmissionStore>().ListProcessingAsync(), s => s.Agency == agency);
    }
}
