using Azure;
using Azure.Data.Tables;
using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using static KDirective.Tests.Ingestion.CoverageTests;

namespace KDirective.Tests.Ingestion;

/// <summary>
/// Which inventory came before which: received first, then (same second) blob name, then submission id. Coverage
/// compares an inventory with the one before it in that order, whatever order they were processed in; the status and
/// the latest host diff agree on which is last.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class SubmissionOrderTests(AzuriteFixture azurite)
{
    private static async Task<string?> PreviousOf(IServiceProvider services, string agency, IngestionResult result) =>
        (await services.GetRequiredService<HostDiffStore>().GetAsync(agency, result.Submission.SubmissionId))!.PreviousSubmissionId;

    private static async Task<(string? Status, string? Diff)> LatestAsync(IServiceProvider services, string agency) =>
        ((await services.GetRequiredService<StatusStore>().FindAsync(agency))?.LatestSubmissionId,
         (await services.GetRequiredService<HostDiffStore>().GetLatestAsync(agency))?.SubmissionId);

    [Fact]
    public async Task InventoryReceivedEarlier_ButProcessedLater_IsNotComparedWithTheLaterOne()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var late = await IngestAsync(services, agency, "late.csv", PerHost($"B,{Kes}", $"A,{Edge}"), 95);

        var early = await IngestAsync(services, agency, "early.csv", PerHost($"A,{Edge}"), 0);

        Assert.Equal((CoverageKinds.Full, 0), (early.Submission.Coverage, early.Submission.HostsLacking));
        Assert.Null(await PreviousOf(services, agency, early));
        Assert.Equal((late.Submission.SubmissionId, late.Submission.SubmissionId), await LatestAsync(services, agency));
    }

    [Fact]
    public async Task RejectedInventoryInBetween_IsNotThePrevious()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var first = await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"C,{Kes}"), 0);
        var bad = await IngestAsync(services, agency, "bad.csv", "Machine,App\nPC,Kaspersky\n", 50);

        var clean = await IngestAsync(services, agency, "clean.csv", PerHost($"A,{Edge}"), 90);

        Assert.Equal(SubmissionOutcomes.Rejected, bad.Submission.Outcome);
        Assert.Equal(CoverageKinds.Partial, clean.Submission.Coverage);
        Assert.Equal(["C"], clean.Coverage!.HostsLackingFirst);
        Assert.Equal(first.Submission.SubmissionId, await PreviousOf(services, agency, clean));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SameSecond_TheBlobNameDecides_WhicheverIsProcessedFirst(bool aFirst)
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        string a = PerHost($"X,{Kes}"), b = PerHost($"Y,{Edge}");

        IngestionResult ra, rb;
        if (aFirst)
        {
            ra = await IngestAsync(services, agency, "a.csv", a, 10);
            rb = await IngestAsync(services, agency, "b.csv", b, 10);
        }
        else
        {
            rb = await IngestAsync(services, agency, "b.csv", b, 10);
            ra = await IngestAsync(services, agency, "a.csv", a, 10);
        }

        Assert.Equal(ra.Submission.ReceivedAt, rb.Submission.ReceivedAt);
        // a.csv comes first: it is compared with nothing, and b.csv is the latest. b.csv (listing Y, not X) is compared
        // with a.csv whichever was processed first: processed after b.csv, a.csv makes b.csv's diff recompute. Only
        // what b.csv's own processing returned (its result blob) was computed without a.csv.
        Assert.Null(await PreviousOf(services, agency, ra));
        Assert.Equal(CoverageKinds.Full, ra.Submission.Coverage);
        Assert.Equal(ra.Submission.SubmissionId, await PreviousOf(services, agency, rb));
        var storedB = (await services.GetRequiredService<SubmissionStore>().FindAsync(agency, rb.Submission.SubmissionId))!;
        Assert.Equal((CoverageKinds.Partial, "[\"X\"]"), (storedB.Coverage, storedB.HostsLackingJson));
        Assert.Equal(aFirst ? CoverageKinds.Partial : CoverageKinds.Full, rb.Submission.Coverage);
        Assert.Equal(aFirst ? ["X"] : [], rb.Coverage!.HostsLackingFirst);
        Assert.Equal((rb.Submission.SubmissionId, rb.Submission.SubmissionId), await LatestAsync(services, agency));
        Assert.Equal(["a.csv", "b.csv"], (await services.GetRequiredService<SubmissionStore>().ListAsync(agency)).Select(s => s.BlobName[(agency.Length + 1)..]));
    }

    [Fact]
    public async Task SameSecond_SameBlobName_TheSubmissionIdDecides_EverywhereAlike()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;

        // Two versions of one blob uploaded within a second: their ids (hashes of the version) order them.
        var v1 = await IngestAsync(services, agency, "inv.csv", PerHost($"X,{Kes}"), 10);
        var v2 = await IngestAsync(services, agency, "inv.csv", PerHost($"Y,{Edge}"), 10);

        var v2Later = string.CompareOrdinal(v2.Submission.SubmissionId, v1.Submission.SubmissionId) > 0;
        var (first, last) = v2Later ? (v1, v2) : (v2, v1);
        Assert.Equal((last.Submission.SubmissionId, last.Submission.SubmissionId), await LatestAsync(services, agency));
        Assert.Equal(v2Later ? v1.Submission.SubmissionId : null, await PreviousOf(services, agency, v2));
        Assert.Equal(v2Later ? CoverageKinds.Partial : CoverageKinds.Full, v2.Submission.Coverage);
        Assert.Equal([first.Submission.SubmissionId, last.Submission.SubmissionId], (await services.GetRequiredService<SubmissionStore>().ListAsync(agency)).Select(s => s.SubmissionId));
    }

    [Fact]
    public async Task PartialAggregatedExport_IsNeverTheReferenceFleet()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        const string header = "displayName,version,publisher,deviceCount\n";
        await IngestAsync(services, agency, "first.csv", header + "Kaspersky Endpoint Security for Windows,11.1,AO Kaspersky Lab,50\nMicrosoft Edge,41.0,Microsoft Corporation,1000\n", 0);
        var small = await IngestAsync(services, agency, "small.csv", header + "Microsoft Edge,41.0,Microsoft Corporation,899\n", 95);

        var smaller = await IngestAsync(services, agency, "smaller.csv", header + "Microsoft Edge,41.0,Microsoft Corporation,850\n", 125);

        Assert.Equal(CoverageKinds.Partial, small.Submission.Coverage);
        // Measured against the full 1,000, not the partial 899 (of which 850 would be enough).
        Assert.Equal((CoverageKinds.Partial, 1000L), (smaller.Submission.Coverage, smaller.Coverage!.ReferenceFleetSize));
    }

    [Fact]
    public async Task PreviousInventoryWithoutAStoredDiff_IsComparedThroughItsFindings()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var first = await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"C,{Kes}"), 0);
        await services.GetRequiredService<HostDiffStore>().DeleteAsync(agency, first.Submission.SubmissionId); // as stored before diffs existed

        var clean = await IngestAsync(services, agency, "clean.csv", PerHost($"A,{Edge}"), 90);

        Assert.Equal(CoverageKinds.Partial, clean.Submission.Coverage);
        Assert.Equal(["C"], clean.Coverage!.HostsLackingFirst);
    }

    [Fact]
    public async Task PreviousPerHostInventoryWithoutAFleetSize_StillGivesTheReference()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var first = await IngestAsync(services, agency, "first.csv", PerHost([$"PC-0,{Kes}", .. Enumerable.Range(1, 9).Select(i => $"PC-{i},{Edge}")]), 0);
        var submissions = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.SubmissionsTable);
        var row = (await submissions.GetEntityAsync<TableEntity>(agency, first.Submission.SubmissionId)).Value;
        Assert.Equal((10L, 10L), (row.GetInt64("FleetSize"), row.GetInt64("EndpointsScanned")));
        row.Remove("FleetSize"); // as stored before the fleet size was
        await submissions.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var aggregated = await IngestAsync(services, agency, "agg.csv", "displayName,version,publisher,deviceCount\nMicrosoft Edge,41.0,Microsoft Corporation,8\n", 95);

        Assert.Equal((CoverageKinds.Partial, 10L), (aggregated.Submission.Coverage, aggregated.Coverage!.ReferenceFleetSize));
    }
}
