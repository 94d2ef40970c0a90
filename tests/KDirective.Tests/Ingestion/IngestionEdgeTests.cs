using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// What the ingestion service tells the uploader and the operator at its edges: where an upload must go, what makes a
/// plan unacceptable, what the result blob holds, what is logged, and where the time went. Written for the survivors of
/// the Ingestion/ mutation run (README: mutation testing).
/// </summary>
[Collection(AzuriteCollection.Name)]
public class IngestionEdgeTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("no-folder.csv", "the upload is not in an agency folder; upload it as inventories/<agency>/no-folder.csv")]
    [InlineData("Bad Folder#?/x.csv", "the upload's folder is not an agency id (2-32 lowercase letters, digits and hyphens)")]
    public async Task UploadOutsideAnAgencyFolder_SaysWhereToPutIt(string blobName, string error)
    {
        await using var services = Pipeline.Create(azurite);
        var blob = await Uploads.UploadAsync(services, blobName, Uploads.Inventory(2));

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob);

        Assert.Equal((SubmissionOutcomes.Rejected, error), (result.Submission.Outcome, result.Submission.Error));
    }

    [Fact]
    public void FolderMarker_NamesNoAgency()
    {
        // Some storage tools create "agency/" as an empty blob to show a folder: it is not an upload by that agency.
        var marker = BlobPath.Parse(StorageNames.InventoriesContainer, "treasury/");
        var upload = BlobPath.Parse(StorageNames.InventoriesContainer, "treasury/inv.csv");

        Assert.Equal((null, "treasury"), (marker.Agency, marker.Name));
        Assert.Equal(("treasury", "inv.csv"), (upload.Agency, upload.Name));
    }

    [Fact]
    public async Task Plan_Empty_IsRejected_OneOfExactlyFiftyMebibytes_IsAccepted()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var largest = await Uploads.UploadAsync(services, $"{agency.Id}/largest.pdf", new BinaryData(new byte[IngestionService.MaxPlanBytes]), StorageNames.PlansContainer);
        var ingestion = services.GetRequiredService<IngestionService>();

        var empty = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/empty.pdf", "", StorageNames.PlansContainer));
        var accepted = await ingestion.IngestAsync(largest);

        Assert.Equal((SubmissionOutcomes.Rejected, "the plan document is empty"), (empty.Submission.Outcome, empty.Submission.Error));
        Assert.Equal((SubmissionOutcomes.Accepted, "plan", (string?)null), (accepted.Submission.Outcome, accepted.Submission.Format, accepted.Submission.Error));
    }

    [Fact]
    public async Task PlanOrRejectedInventory_LeavesTheHostDiffAndCoverageOfTheLastInventory()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var ingestion = services.GetRequiredService<IngestionService>();
        var day = new DateTimeOffset(2017, 10, 2, 14, 0, 0, TimeSpan.Zero);
        var inventory = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency}/inv.csv", Uploads.Inventory(3)), day);

        var plan = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency}/plan.md", "# plan", StorageNames.PlansContainer), day.AddDays(1));
        var rejected = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency}/bad.csv", "Machine,App\nPC,Kaspersky\n"), day.AddDays(2));

        Assert.Equal((SubmissionOutcomes.Accepted, SubmissionOutcomes.Rejected), (plan.Submission.Outcome, rejected.Submission.Outcome));
        Assert.Equal(((string?)null, (string?)null), (plan.Submission.Coverage, rejected.Submission.Coverage));
        Assert.Null(plan.Coverage);
        Assert.Null(rejected.Coverage);
        var diffs = services.GetRequiredService<HostDiffStore>();
        Assert.Equal(inventory.Submission.SubmissionId, (await diffs.GetLatestAsync(agency))!.SubmissionId);
        Assert.Null(await diffs.GetAsync(agency, plan.Submission.SubmissionId));
        Assert.Null(await diffs.GetAsync(agency, rejected.Submission.SubmissionId));
    }

    [Fact]
    public async Task ResultBlob_IsJson_WithoutTheMatchList_AndNamesNoAgencyForAnUnassignedUpload()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var ingestion = services.GetRequiredService<IngestionService>();

        var accepted = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/inv.csv", Uploads.Inventory(3)));
        var unassigned = await ingestion.IngestAsync(await Uploads.UploadAsync(services, "loose.csv", Uploads.Inventory(3)));

        var results = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(StorageNames.ResultsContainer);
        foreach (var result in new[] { accepted, unassigned })
        {
            Assert.Equal("application/json", (await results.GetBlobClient(result.ResultBlobName).GetPropertiesAsync()).Value.ContentType);
        }

        // The uploader gets counts and findings, not one line per matched row (a 300,000-row list has no place there).
        var json = await Uploads.ReadResultAsync(services, accepted.ResultBlobName);
        Assert.Equal(3, json.GetProperty("findings").EnumerateArray().Single().GetProperty("endpoints").GetInt64());
        Assert.True(!json.TryGetProperty("matches", out var matches) || matches.ValueKind == System.Text.Json.JsonValueKind.Null);
        var loose = await Uploads.ReadResultAsync(services, unassigned.ResultBlobName);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, loose.GetProperty("agency").ValueKind);
    }

    [Fact]
    public async Task ResultBlob_OfAnAggregatedExport_GivesItsFleetAndTheReferenceItWasMeasuredAgainst()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        const string header = "displayName,version,publisher,deviceCount\n";
        await CoverageTests.IngestAsync(services, agency, "first.csv", header + "Kaspersky Endpoint Security for Windows,11.1,AO Kaspersky Lab,50\nMicrosoft Edge,41.0,Microsoft Corporation,1000\n", 0);

        var small = await CoverageTests.IngestAsync(services, agency, "small.csv", header + "Microsoft Edge,41.0,Microsoft Corporation,899\n", 95);

        var json = await Uploads.ReadResultAsync(services, small.ResultBlobName);
        Assert.Equal("partial", json.GetProperty("coverage").GetString());
        Assert.Equal((0, 899L, 1000L), (json.GetProperty("hostsLackingCount").GetInt32(), json.GetProperty("fleetSize").GetInt64(), json.GetProperty("referenceFleetSize").GetInt64()));
    }

    [Fact]
    public async Task Logs_NameEachOutcome_WithTheBlobNameMadeSafe()
    {
        await using var services = Pipeline.Create(azurite, configure: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Information).AddFakeLogging()));
        var agency = await Uploads.RegisterAsync(services);
        var ingestion = services.GetRequiredService<IngestionService>();
        var good = await Uploads.UploadAsync(services, $"{agency.Id}/good.csv", Uploads.Inventory(2));

        var accepted = await ingestion.IngestAsync(good);
        await ingestion.IngestAsync(good);
        var rejected = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/bad\u001b[2Jname.csv", "Machine,App\nPC,Kaspersky\n"));

        var log = services.GetFakeLogCollector().GetSnapshot();
        var processed = log.Where(r => r.Id.Id == 3001).Select(r => r.Message).ToArray();
        Assert.Equal(2, processed.Length);
        Assert.Contains(processed, m => m.StartsWith($"Submission {accepted.Submission.SubmissionId} for {agency.Id} ({agency.Id}/good.csv) processed: accepted, 3 rows, 0 rejected, 2 endpoints affected", StringComparison.Ordinal));
        Assert.Equal($"Submission {accepted.Submission.SubmissionId} ({agency.Id}/good.csv) was already processed; status re-applied", Assert.Single(log, r => r.Id.Id == 3002).Message);
        var warning = Assert.Single(log, r => r.Id.Id == 3003);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith($"Upload {agency.Id}/bad\uFFFD[2Jname.csv rejected: {rejected.Submission.Error![..60]}", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log, r => r.Message.Contains('\u001b'));
    }

    [Fact]
    public async Task Timings_NameEveryStageInOrder_AndStartAfreshForEachIngestion()
    {
        await using var services = Pipeline.Create(azurite, configure: s => s.AddSingleton<IngestionTimings>());
        var agency = await Uploads.RegisterAsync(services);
        var ingestion = services.GetRequiredService<IngestionService>();
        var timings = services.GetRequiredService<IngestionTimings>();
        string[] stages =
        [
            "submission: look-up, mark processing", "read + match, findings sent meanwhile", "findings: keys, packing, queueing rows",
            "findings: reader waiting on row writes", "findings: last writes", "coverage and host diff", "result blob",
            "submission complete, status", "receipt", "later diffs checked",
        ];
        string[] parts = ["findings: keys, packing, queueing rows", "findings: reader waiting on row writes"];

        foreach (var name in new[] { "one.csv", "two.csv" })
        {
            await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/{name}", Uploads.Inventory(300)));

            Assert.Equal(stages, timings.Laps.Select(l => l.Stage));
            Assert.Equal(stages.Select(parts.Contains), timings.Laps.Select(l => l.IsPartOfPrevious));
            Assert.All(timings.Laps, l => Assert.True(l.Elapsed >= TimeSpan.Zero, $"{l.Stage}: {l.Elapsed}"));
        }
    }
}
