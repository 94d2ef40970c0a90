using System.Text.Json;
using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// What the README promises about redelivery, overwrites and crashes, seen from outside the service: its results,
/// the tables and the result blob.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class AtLeastOnceTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Day = new(2017, 10, 2, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Redelivery_AfterACrashBetweenCompletingAndTheStatus_AppliesTheStatus()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/inv.csv", Uploads.Inventory(6));
        var ingestion = services.GetRequiredService<IngestionService>();
        var first = await ingestion.IngestAsync(blob);
        // The crash: the submission is complete, but the status write never happened.
        await services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.StatusTable).DeleteEntityAsync(agency.Id, AgencyStatusEntity.Row);

        var redelivered = await ingestion.IngestAsync(blob);

        Assert.True(redelivered.AlreadyProcessed);
        var status = await services.GetRequiredService<StatusStore>().FindAsync(agency.Id);
        Assert.NotNull(status);
        Assert.Equal((first.Submission.SubmissionId, 6L), (status.LatestSubmissionId, status.LatestEndpointsAffected));
    }

    [Fact]
    public async Task StorageFailsOnTheLastFindingsBatch_KeepsThePreviousStatusAndARetryCompletes()
    {
        // 230 hosts over the 16 partitions: one row each, all written when the file is complete; the third fails.
        const int hosts = 230;
        var fault = new FaultInjection(m => FaultInjection.IsBatchTo(m, StorageNames.FindingsTable), failOnMatch: 3) { Armed = false };
        var settings = new StorageClientSettings();
        settings.Policies.Add(fault);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = await Uploads.RegisterAsync(services);
        var ingestion = services.GetRequiredService<IngestionService>();
        var previous = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/before.csv", Uploads.Inventory(4)), Day);
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/after.csv", Uploads.Inventory(hosts));

        fault.Armed = true;
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => ingestion.IngestAsync(blob, Day.AddDays(7)));

        Assert.Equal(1, fault.Failures);
        var status = await services.GetRequiredService<StatusStore>().FindAsync(agency.Id);
        Assert.Equal((previous.Submission.SubmissionId, 4L), (status!.LatestSubmissionId, status.LatestEndpointsAffected));
        Assert.Single(await services.GetRequiredService<SubmissionStore>().ListAsync(agency.Id));

        fault.Armed = false;
        var retry = await ingestion.IngestAsync(blob, Day.AddDays(7));

        status = await services.GetRequiredService<StatusStore>().FindAsync(agency.Id);
        Assert.Equal((retry.Submission.SubmissionId, (long)hosts), (status!.LatestSubmissionId, status.LatestEndpointsAffected));
    }

    [Fact]
    public async Task Overwrite_OfTheSameBlobName_IsANewSubmissionThatUpdatesTheStatus()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var ingestion = services.GetRequiredService<IngestionService>();
        var october = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/inventory.csv", Uploads.Inventory(9)), Day);

        var november = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/inventory.csv", Uploads.Inventory(2)), Day.AddDays(30));

        Assert.False(november.AlreadyProcessed);
        Assert.NotEqual(october.Submission.SubmissionId, november.Submission.SubmissionId);
        Assert.Equal(2, (await services.GetRequiredService<SubmissionStore>().ListAsync(agency.Id)).Count);
        var status = await services.GetRequiredService<StatusStore>().FindAsync(agency.Id);
        Assert.Equal((november.Submission.SubmissionId, 2L, Day), (status!.LatestSubmissionId, status.LatestEndpointsAffected, status.FirstInventoryAt!.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoUploadsInTheSameSecond_TheLaterBlobNameWins_InEitherOrder(bool laterNameFirst)
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var a = await Uploads.UploadAsync(services, $"{agency.Id}/a.csv", Uploads.Inventory(3));
        var b = await Uploads.UploadAsync(services, $"{agency.Id}/b.csv", Uploads.Inventory(8));
        var ingestion = services.GetRequiredService<IngestionService>();

        var results = new Dictionary<string, IngestionResult>();
        foreach (var blob in laterNameFirst ? new[] { b, a } : [a, b])
        {
            results[blob.Name] = await ingestion.IngestAsync(blob, Day);
        }

        var status = await services.GetRequiredService<StatusStore>().FindAsync(agency.Id);
        Assert.Equal((results[b.Name].Submission.SubmissionId, 8L), (status!.LatestSubmissionId, status.LatestEndpointsAffected));
    }

    [Fact]
    public async Task ResultBlob_NamesTheAgencySubmissionKindAndReceivedTime()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var ingestion = services.GetRequiredService<IngestionService>();

        var inventory = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/inv.csv", Uploads.Inventory(2)), Day);
        var plan = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/plan.pdf", "%PDF-1.4 plan", StorageNames.PlansContainer), Day.AddDays(1));

        foreach (var (result, kind, at) in new[] { (inventory, "inventory", Day), (plan, "plan", Day.AddDays(1)) })
        {
            var json = await Uploads.ReadResultAsync(services, result.ResultBlobName);
            Assert.Equal(agency.Id, json.GetProperty("agency").GetString());
            Assert.Equal(result.Submission.SubmissionId, json.GetProperty("submissionId").GetString());
            Assert.Equal(kind, json.GetProperty("kind").GetString());
            Assert.Equal(at, json.GetProperty("receivedAt").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task Plan_OverFiftyMebibytes_IsRejected_ASmallOneAccepted()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var big = await Uploads.UploadAsync(services, $"{agency.Id}/huge.pdf", new BinaryData(new byte[(50 * 1024 * 1024) + 1]), StorageNames.PlansContainer);
        var ingestion = services.GetRequiredService<IngestionService>();

        var rejected = await ingestion.IngestAsync(big);
        var accepted = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/plan.pdf", "%PDF-1.4 plan", StorageNames.PlansContainer));

        Assert.Equal(SubmissionOutcomes.Rejected, rejected.Submission.Outcome);
        Assert.Contains("50 MiB", rejected.Submission.Error);
        Assert.Equal(SubmissionOutcomes.Accepted, accepted.Submission.Outcome);
    }

    [Fact]
    public async Task Submission_KeepsTheFirstTwentyRejections_AndCountsThemAll()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var text = new System.Text.StringBuilder(Uploads.Inventory(3));
        for (var i = 0; i < 25; i++)
        {
            text.Append($"BAD-{i:D2},AO Kaspersky Lab,,1.0\n"); // no product name
        }

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/rej.csv", text.ToString()));

        Assert.Equal((SubmissionOutcomes.Accepted, 25L), (result.Submission.Outcome, result.Submission.RowsRejected));
        using var kept = JsonDocument.Parse(result.Submission.RejectionsJson);
        var lines = kept.RootElement.EnumerateArray().Select(r => r.GetProperty("line").GetInt64()).ToArray();
        Assert.Equal(Enumerable.Range(6, 20).Select(l => (long)l), lines); // header, 3 hosts, 1 clean row, then the bad ones
    }
}
