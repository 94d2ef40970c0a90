using System.Text.Json;
using Azure.Data.Tables;
using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

[Collection(AzuriteCollection.Name)]
public class IngestionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Ingest_Sample_RecordsSubmissionFindingsStatusAndResult()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var blob = await Uploads.UploadFileAsync(services, $"{agency.Id}/mecm.csv", Paths.Inventory("mecm-add-remove-programs.csv"));

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob);

        var submission = result.Submission;
        Assert.Equal((SubmissionOutcomes.Accepted, SubmissionEntity.Complete, "mecm", 9L, 0L, 3L), (submission.Outcome, submission.State, submission.Format, submission.RowsRead, submission.RowsRejected, submission.EndpointsAffected));
        var findings = await services.GetRequiredService<FindingStore>().ListAsync(agency.Id, submission.SubmissionId);
        Assert.Equal(
            ["TREAS-HQ-0001 Kaspersky Endpoint Security for Windows 11.1.1.126", "TREAS-HQ-0001 Kaspersky Security Center Network Agent 10.4.343",
             "TREAS-HQ-0002 Kaspersky Endpoint Security for Windows 11.1.1.126", "TREAS-SRV-0010 Kaspersky Security for Windows Server 10.1.0.622"],
            findings.Select(f => $"{f.Hostname} {f.Product} {f.Version}").Order());

        var status = await services.GetRequiredService<StatusStore>().FindAsync(agency.Id);
        Assert.NotNull(status);
        Assert.Equal(submission.ReceivedAt, status.FirstInventoryAt);
        Assert.Equal(3, status.LatestEndpointsAffected);
        Assert.Contains("Kaspersky Security for Windows Server", status.LatestProductsJson);

        var resultBlob = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(StorageNames.ResultsContainer).GetBlobClient($"{agency.Id}/inventories/mecm.csv.json");
        using var json = JsonDocument.Parse((await resultBlob.DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal("accepted", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(9, json.RootElement.GetProperty("rowsRead").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("findings").GetArrayLength());
    }

    [Fact]
    public async Task Ingest_SameBlobTwiceInSequence_LeavesTheStateOfOneProcessing()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/inv.csv", Uploads.Inventory(150));
        var ingestion = services.GetRequiredService<IngestionService>();

        var first = await ingestion.IngestAsync(blob);
        var snapshot = await Snapshot(services, agency.Id);
        var second = await ingestion.IngestAsync(blob);

        Assert.False(first.AlreadyProcessed);
        Assert.True(second.AlreadyProcessed);
        Assert.Equal(snapshot, await Snapshot(services, agency.Id));
        Assert.Equal((1, 150), (snapshot.Submissions, snapshot.Findings));
    }

    [Fact]
    public async Task Ingest_SameBlobConcurrently_LeavesTheStateOfOneProcessing()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/inv.csv", Uploads.Inventory(230));
        var ingestion = services.GetRequiredService<IngestionService>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ingestion.IngestAsync(blob))));

        var snapshot = await Snapshot(services, agency.Id);
        Assert.Equal((1, 230, 230L), (snapshot.Submissions, snapshot.Findings, snapshot.Affected));
    }

    [Fact]
    public async Task Ingest_UploadsProcessedOutOfOrder_StatusReflectsTheUploadReceivedLast()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var older = await Uploads.UploadAsync(services, $"{agency.Id}/week1.csv", Uploads.Inventory(40));
        await Task.Delay(1100); // blob times have one-second resolution
        var newer = await Uploads.UploadAsync(services, $"{agency.Id}/week2.csv", Uploads.Inventory(7));
        var ingestion = services.GetRequiredService<IngestionService>();

        var second = await ingestion.IngestAsync(newer);
        var first = await ingestion.IngestAsync(older);

        var status = await services.GetRequiredService<StatusStore>().FindAsync(agency.Id);
        Assert.Equal(second.Submission.SubmissionId, status!.LatestSubmissionId);
        Assert.Equal(7, status.LatestEndpointsAffected);
        Assert.Equal(first.Submission.ReceivedAt, status.FirstInventoryAt);
        Assert.True(first.Submission.ReceivedAt < second.Submission.ReceivedAt);
    }

    [Fact]
    public async Task Ingest_StorageFailsAfterHalfTheFindings_KeepsThePreviousStatusAndARetryCompletes()
    {
        var fault = new FaultInjection(m => FaultInjection.IsBatchTo(m, StorageNames.FindingsTable), failOnMatch: 3) { Armed = false };
        var settings = new StorageClientSettings();
        settings.Policies.Add(fault);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = await Uploads.RegisterAsync(services);
        var ingestion = services.GetRequiredService<IngestionService>();
        var previous = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/before.csv", Uploads.Inventory(12)));
        await Task.Delay(1100);
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/after.csv", Uploads.Inventory(450));

        fault.Armed = true;
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => ingestion.IngestAsync(blob));

        Assert.Equal(1, fault.Failures);
        var status = await services.GetRequiredService<StatusStore>().FindAsync(agency.Id);
        Assert.Equal((previous.Submission.SubmissionId, 12L), (status!.LatestSubmissionId, status.LatestEndpointsAffected));
        var unfinished = await services.GetRequiredService<SubmissionStore>().ListAsync(agency.Id);
        Assert.Single(unfinished); // the half-written submission is not complete, so nothing lists or counts it

        fault.Armed = false;
        var retry = await ingestion.IngestAsync(blob);

        Assert.False(retry.AlreadyProcessed);
        status = await services.GetRequiredService<StatusStore>().FindAsync(agency.Id);
        Assert.Equal((retry.Submission.SubmissionId, 450L), (status!.LatestSubmissionId, status.LatestEndpointsAffected));
        Assert.Equal(450, (await services.GetRequiredService<FindingStore>().ListAsync(agency.Id, retry.Submission.SubmissionId)).Count);
    }

    [Fact]
    public async Task Ingest_RejectedFile_IsRecordedWithAResultAndLeavesTheStatusAlone()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var ingestion = services.GetRequiredService<IngestionService>();
        var good = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/good.csv", Uploads.Inventory(3)));
        await Task.Delay(1100);

        var bad = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/bad.csv", "Machine,App\nPC,Kaspersky\n"));

        Assert.Equal(SubmissionOutcomes.Rejected, bad.Submission.Outcome);
        Assert.Contains("no known inventory format", bad.Submission.Error);
        var status = await services.GetRequiredService<StatusStore>().FindAsync(agency.Id);
        Assert.Equal(good.Submission.SubmissionId, status!.LatestSubmissionId);
        var result = await Uploads.ReadResultAsync(services, $"{agency.Id}/inventories/bad.csv.json");
        Assert.Equal("rejected", result.GetProperty("outcome").GetString());
        Assert.False(result.GetProperty("accepted").GetBoolean());
    }

    [Fact]
    public async Task Ingest_UnknownAgency_IsRejectedAndRecordedOutsideEveryAgency()
    {
        await using var services = Pipeline.Create(azurite);
        var unknown = Pipeline.NewAgencyId("nobody");
        var blob = await Uploads.UploadAsync(services, $"{unknown}/inv.csv", Uploads.Inventory(2));

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob);

        Assert.Equal((SubmissionEntity.UnassignedPartition, SubmissionOutcomes.Rejected), (result.Submission.PartitionKey, result.Submission.Outcome));
        Assert.Contains("not a registered agency", result.Submission.Error);
        Assert.Null(await services.GetRequiredService<StatusStore>().FindAsync(unknown));
        Assert.Equal("rejected", (await Uploads.ReadResultAsync(services, $"{unknown}/inventories/inv.csv.json")).GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("no-folder.csv")]
    [InlineData("Bad Folder#?/x.csv")]
    [InlineData("..\\evil/\u0001ctl.csv")]
    public async Task Ingest_PathWithoutAnAgencyFolder_IsRejectedWithSafeKeys(string blobName)
    {
        await using var services = Pipeline.Create(azurite);
        var blob = await Uploads.UploadAsync(services, blobName, Uploads.Inventory(2));

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob);

        Assert.Equal(SubmissionOutcomes.Rejected, result.Submission.Outcome);
        // Judged by the expected shapes, not by the product's own key check: a fixed partition and a hex hash.
        Assert.Equal("_unassigned", result.Submission.PartitionKey);
        Assert.Matches("^[0-9a-f]{32}$", result.Submission.RowKey);
        Assert.Matches("^_unassigned/[0-9a-f]{32}\\.json$", result.ResultBlobName);
        Assert.Equal("rejected", (await Uploads.ReadResultAsync(services, result.ResultBlobName)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Status_ConcurrentUpdates_AreNotLost()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var store = services.GetRequiredService<StatusStore>();
        var start = new DateTimeOffset(2017, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var submissions = Enumerable.Range(0, 12).Select(i => new SubmissionEntity
        {
            PartitionKey = agency.Id,
            RowKey = TableKeys.Hash("s", i.ToString()),
            BlobName = $"{agency.Id}/{i}.csv",
            ReceivedAt = start.AddHours(i),
            Outcome = SubmissionOutcomes.Accepted,
            State = SubmissionEntity.Complete,
            EndpointsAffected = i,
        }).Reverse().ToArray();

        await Task.WhenAll(submissions.Select(s => Task.Run(() => store.ApplyAsync(s))));

        var status = await store.FindAsync(agency.Id);
        Assert.Equal((start, start.AddHours(11), 11L), (status!.FirstInventoryAt!.Value, status.LatestReceivedAt!.Value, status.LatestEndpointsAffected));
    }

    private sealed record State(int Submissions, int Findings, long Affected, string? Latest, DateTimeOffset? First, string Products);

    private static async Task<State> Snapshot(IServiceProvider services, string agency)
    {
        var submissions = await services.GetRequiredService<SubmissionStore>().ListAsync(agency);
        var findings = (await StoredFindings.OfAsync(services, agency)).Count;

        var status = await services.GetRequiredService<StatusStore>().FindAsync(agency);
        return new State(submissions.Count, findings, status?.LatestEndpointsAffected ?? -1, status?.LatestSubmissionId, status?.FirstInventoryAt, status?.LatestProductsJson ?? string.Empty);
    }
}

[Collection(AzuriteCollection.Name)]
public class IngestionLimitsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Ingest_ThousandsOfVersionsAndProducts_StillFitsTableProperties()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var text = new System.Text.StringBuilder("Hostname,Publisher,Product,Version\n");
        for (var i = 0; i < 3000; i++)
        {
            text.Append($"H{i},AO Kaspersky Lab,Kaspersky Widget Number{(char)('a' + i % 26)}{(char)('a' + i / 26 % 26)}{(char)('a' + i / 676)},{i}.{i}.{i}\n");
        }

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/wide.csv", text.ToString()));

        Assert.Equal(SubmissionOutcomes.Accepted, result.Submission.Outcome);
        Assert.True(result.Submission.FindingsJson.Length <= TableJson.MaxChars);
        Assert.True(result.Submission.FindingsTruncated);
        Assert.Equal(3000, (await services.GetRequiredService<FindingStore>().ListAsync(agency.Id, result.Submission.SubmissionId)).Count);
        Assert.Equal(3000, (await services.GetRequiredService<StatusStore>().FindAsync(agency.Id))!.LatestEndpointsAffected);
    }

    [Fact]
    public async Task Ingest_FindingsWithLongValues_PackFewerToARow_UnderThePropertyLimit()
    {
        // 100 findings of 500-character names and versions would be over the 64 KiB a binary property holds: a row
        // closes before its JSON passes TableJson.MaxBytes, so 2,000 of them (125 a bucket) take more than 16 rows.
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var text = new System.Text.StringBuilder("Hostname,Publisher,Product,Version\n");
        for (var i = 0; i < 2000; i++)
        {
            text.Append($"{i:D4}-{new string('h', 480)}.example.gov,AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,{i}.{new string('ж', 500)}\n");
        }

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency.Id}/long.csv", text.ToString()));

        Assert.Equal(SubmissionOutcomes.Accepted, result.Submission.Outcome);
        Assert.Equal(2000, result.Submission.FindingRows);
        var table = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.FindingsTable);
        var rows = 0;
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"Agency eq {agency.Id}")))
        {
            rows++;
            Assert.True(row.GetBinary("Findings").Length < TableJson.MaxBytes, $"a row of {row.GetBinary("Findings").Length} bytes");
        }

        Assert.True(rows > FindingEntity.Buckets, $"{rows} rows: the findings were not split by size");
        Assert.Equal(2000, (await services.GetRequiredService<FindingStore>().ListAsync(agency.Id, result.Submission.SubmissionId)).Count);
    }
}
