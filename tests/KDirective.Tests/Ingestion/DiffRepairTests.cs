using Azure.Core;
using Azure.Core.Pipeline;
using KDirective.Directive;
using KDirective.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using static KDirective.Tests.Ingestion.CoverageTests;

namespace KDirective.Tests.Ingestion;

/// <summary>An inventory that completes after inventories received after it makes their diffs recompute.</summary>
[Collection(AzuriteCollection.Name)]
public class DiffRepairTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task InventoryReceivedEarlier_CompletingLater_RecomputesTheLaterDiff_ItsCoverage_AndTheMilestone()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var first = await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}"), 0);
        var third = await IngestAsync(services, agency, "third.csv", PerHost($"A,{Edge}"), 95); // B not listed

        // Against the first inventory, B went unreported: partial, and removal stays open.
        Assert.Equal((CoverageKinds.Partial, 1), (third.Submission.Coverage, third.Submission.HostsLacking));
        Assert.Null((await MilestonesAsync(services, agency)).RemovalCompletedAt);

        // Received before the third (a retried delivery), processed after it: B was cleaned there.
        var second = await IngestAsync(services, agency, "second.csv", PerHost($"A,{Kes}", $"B,{Edge}"), 60);

        var store = services.GetRequiredService<HostDiffStore>();
        var diff = (await store.GetAsync(agency, third.Submission.SubmissionId))!;
        Assert.Equal(second.Submission.SubmissionId, diff.PreviousSubmissionId);
        Assert.Equal((CoverageKinds.Full, 0, 0), (diff.Coverage.Kind, diff.Coverage.HostsLacking, diff.Unreported));
        Assert.Equal([("A", HostChangeKinds.Removed)], diff.Hosts.Select(h => (h.Hostname, h.Change)));
        Assert.Equal(first.Submission.SubmissionId, (await store.GetAsync(agency, second.Submission.SubmissionId))!.PreviousSubmissionId);

        var stored = (await services.GetRequiredService<SubmissionStore>().FindAsync(agency, third.Submission.SubmissionId))!;
        Assert.Equal((CoverageKinds.Full, 0, "[]"), (stored.Coverage, stored.HostsLacking, stored.HostsLackingJson));
        Assert.Equal(third.Submission.ReceivedAt, (await MilestonesAsync(services, agency)).RemovalCompletedAt);
        Assert.Empty(await store.CurrentFindingsByHostAsync(agency));
        Assert.Empty(await services.GetRequiredService<DiffRepair>().RepairAsync(agency));

        // The result blob is the receipt of what processing said then: it is not rewritten.
        Assert.Equal("partial", (await Uploads.ReadResultAsync(services, third.ResultBlobName)).GetProperty("coverage").GetString());
    }

    [Fact]
    public async Task LateInventory_RecomputesEveryDiffAfterIt_BecauseUnreportedHostsCarryForward()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}"), 0);
        var third = await IngestAsync(services, agency, "third.csv", PerHost($"A,{Edge}"), 95);
        var fourth = await IngestAsync(services, agency, "fourth.csv", PerHost($"A,{Edge}"), 125);
        Assert.Equal((CoverageKinds.Full, CoverageKinds.Full), (third.Submission.Coverage, fourth.Submission.Coverage));

        // The late second inventory found C as well. Neither later one lists C: it goes unreported in the third, and,
        // still carrying, in the fourth too, whose previous inventory (the third) is the same as before.
        var second = await IngestAsync(services, agency, "second.csv", PerHost($"A,{Kes}", $"C,{Kes}"), 60);

        var store = services.GetRequiredService<HostDiffStore>();
        var thirdDiff = (await store.GetAsync(agency, third.Submission.SubmissionId))!;
        var fourthDiff = (await store.GetAsync(agency, fourth.Submission.SubmissionId))!;
        Assert.Equal(second.Submission.SubmissionId, thirdDiff.PreviousSubmissionId);
        Assert.Equal([("A", HostChangeKinds.Removed), ("C", HostChangeKinds.Unreported)], thirdDiff.Hosts.Select(h => (h.Hostname, h.Change)));
        Assert.Equal(third.Submission.SubmissionId, fourthDiff.PreviousSubmissionId);
        Assert.Equal([("C", HostChangeKinds.Unreported)], fourthDiff.Hosts.Select(h => (h.Hostname, h.Change)));
        var submissions = services.GetRequiredService<SubmissionStore>();
        Assert.Equal(
            (CoverageKinds.Partial, CoverageKinds.Partial),
            ((await submissions.FindAsync(agency, third.Submission.SubmissionId))!.Coverage, (await submissions.FindAsync(agency, fourth.Submission.SubmissionId))!.Coverage));
        Assert.Null((await MilestonesAsync(services, agency)).RemovalCompletedAt);
        Assert.Equal(["C"], (await store.CurrentFindingsByHostAsync(agency)).Select(h => h.Hostname));
    }

    [Fact]
    public async Task DiffWhosePreviousWasRewrittenAlone_IsRecomputed_AndRecomputedDiffsKeepTheirFindings()
    {
        // The late second is partial like the third, so the fourth's reference (the first) and its previous inventory
        // (the third) stay the same: only the third's stamp says the fourth must be computed again.
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}"), 0);
        var third = await IngestAsync(services, agency, "third.csv", PerHost($"A,{Kes}"), 95);
        var fourth = await IngestAsync(services, agency, "fourth.csv", PerHost($"A,{Kes}", $"B,{Kes}"), 125);

        var second = await IngestAsync(services, agency, "second.csv", PerHost($"A,{Kes}"), 60);

        var store = services.GetRequiredService<HostDiffStore>();
        var thirdDiff = (await store.GetAsync(agency, third.Submission.SubmissionId))!;
        Assert.Equal(second.Submission.SubmissionId, thirdDiff.PreviousSubmissionId);
        Assert.Equal([("A", HostChangeKinds.Remaining), ("B", HostChangeKinds.Unreported)], thirdDiff.Hosts.Select(h => (h.Hostname, h.Change)));
        var summaries = await store.SummariesAsync(agency, CancellationToken.None);
        var (t, f) = (summaries[third.Submission.SubmissionId], summaries[fourth.Submission.SubmissionId]);
        Assert.Equal((third.Submission.SubmissionId, t.Stamp), (f.PreviousSubmissionId, f.BasisStamp));
        Assert.Equal([("A", HostChangeKinds.Remaining), ("B", HostChangeKinds.Remaining)], (await store.GetAsync(agency, fourth.Submission.SubmissionId))!.Hosts.Select(h => (h.Hostname, h.Change)));
    }

    [Fact]
    public async Task TwoInventoriesProcessedAtOnce_EndWithTheLaterComparedWithTheEarlier()
    {
        await using var services = Pipeline.Create(azurite);
        var ingestion = services.GetRequiredService<IngestionService>();
        for (var round = 0; round < 4; round++)
        {
            var agency = (await Uploads.RegisterAsync(services)).Id;
            await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}"), 0);
            var secondBlob = await Uploads.UploadAsync(services, $"{agency}/second.csv", PerHost($"A,{Kes}", $"C,{Kes}"));
            var thirdBlob = await Uploads.UploadAsync(services, $"{agency}/third.csv", PerHost($"A,{Edge}"));
            var october = new DateTimeOffset(2017, 10, 2, 14, 0, 0, TimeSpan.Zero);

            var results = await Task.WhenAll(ingestion.IngestAsync(secondBlob, october.AddDays(60)), ingestion.IngestAsync(thirdBlob, october.AddDays(95)));

            var diff = (await services.GetRequiredService<HostDiffStore>().GetAsync(agency, results[1].Submission.SubmissionId))!;
            Assert.Equal(results[0].Submission.SubmissionId, diff.PreviousSubmissionId);
            Assert.Equal([("A", HostChangeKinds.Removed), ("C", HostChangeKinds.Unreported)], diff.Hosts.Select(h => (h.Hostname, h.Change)));
            Assert.Equal(CoverageKinds.Partial, (await services.GetRequiredService<SubmissionStore>().FindAsync(agency, results[1].Submission.SubmissionId))!.Coverage);
            Assert.Empty(await services.GetRequiredService<DiffRepair>().RepairAsync(agency));
        }
    }

    [Fact]
    public async Task InventoriesProcessedInOrder_ChainTheirStamps_AndNothingIsRecomputed()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var ids = new List<string>();
        foreach (var (name, day) in new[] { ("a.csv", 0), ("b.csv", 30), ("c.csv", 60) })
        {
            ids.Add((await IngestAsync(services, agency, name, PerHost($"A,{Kes}", $"{name},{Edge}"), day)).Submission.SubmissionId);
        }

        var summaries = await services.GetRequiredService<HostDiffStore>().SummariesAsync(agency, CancellationToken.None);
        Assert.Null(summaries[ids[0]].BasisStamp);
        Assert.Equal(summaries[ids[0]].Stamp, summaries[ids[1]].BasisStamp);
        Assert.Equal(summaries[ids[1]].Stamp, summaries[ids[2]].BasisStamp);
        Assert.Equal(3, summaries.Values.Select(s => s.Stamp).Distinct().Count());
        Assert.Empty(await services.GetRequiredService<DiffRepair>().RepairAsync(agency));
    }

    [Fact]
    public async Task SubmissionLeftBehindItsRecomputedDiff_TakesTheDiffsCoverage()
    {
        // A crash between rewriting a diff and its submission: the diff, written first, is the record.
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}"), 0);
        var second = await IngestAsync(services, agency, "second.csv", PerHost($"A,{Edge}"), 95);
        var submissions = services.GetRequiredService<SubmissionStore>();
        var stored = (await submissions.FindAsync(agency, second.Submission.SubmissionId))!;
        (stored.Coverage, stored.HostsLacking, stored.HostsLackingJson) = (CoverageKinds.Full, 0, "[]");
        Assert.True(await submissions.ReplaceIfUnchangedAsync(stored));

        Assert.Equal([second.Submission.SubmissionId], await services.GetRequiredService<DiffRepair>().RepairAsync(agency));

        var repaired = (await submissions.FindAsync(agency, second.Submission.SubmissionId))!;
        Assert.Equal((CoverageKinds.Partial, 1, "[\"B\"]"), (repaired.Coverage, repaired.HostsLacking, repaired.HostsLackingJson));
    }

    [Fact]
    public async Task Sweep_ChecksEveryAgencysDiffs_AndReportsWhatItRecomputed()
    {
        // A check that failed every retry of its delivery is left for the sweep.
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}"), 0);
        var second = await IngestAsync(services, agency, "second.csv", PerHost($"A,{Edge}"), 95);
        var submissions = services.GetRequiredService<SubmissionStore>();
        var stored = (await submissions.FindAsync(agency, second.Submission.SubmissionId))!;
        stored.Coverage = CoverageKinds.Full;
        Assert.True(await submissions.ReplaceIfUnchangedAsync(stored));

        var result = await services.GetRequiredService<SubmissionSweeper>().RunAsync();

        Assert.Equal([new RecomputedDiff(agency, second.Submission.SubmissionId)], result.Recomputed.Where(r => r.Agency == agency));
        Assert.Empty(result.ChecksFailed);
        Assert.Equal(CoverageKinds.Partial, (await submissions.FindAsync(agency, second.Submission.SubmissionId))!.Coverage);
    }

    [Fact]
    public async Task StaleDiffWhoseBlobIsGone_IsLeftAsItWas_AndTheLateInventoryIsStillAccepted()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var first = await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}"), 0);
        var thirdBlob = await Uploads.UploadAsync(services, $"{agency}/third.csv", PerHost($"A,{Edge}"));
        var third = await services.GetRequiredService<IngestionService>().IngestAsync(thirdBlob, first.Submission.ReceivedAt.AddDays(95));
        await thirdBlob.DeleteAsync(); // the emulator keeps no versions: what the third listed cannot be read again

        var second = await IngestAsync(services, agency, "second.csv", PerHost($"A,{Kes}", $"B,{Edge}"), 60);

        Assert.Equal(SubmissionOutcomes.Accepted, second.Submission.Outcome);
        var diff = (await services.GetRequiredService<HostDiffStore>().GetAsync(agency, third.Submission.SubmissionId))!;
        Assert.Equal((first.Submission.SubmissionId, CoverageKinds.Partial), (diff.PreviousSubmissionId, diff.Coverage.Kind));
        var summaries = await services.GetRequiredService<HostDiffStore>().SummariesAsync(agency, CancellationToken.None);
        var secondStamp = $"{second.Submission.SubmissionId}|{summaries[second.Submission.SubmissionId].Stamp}";
        Assert.Equal($"{secondStamp}|{secondStamp}", summaries[third.Submission.SubmissionId].LeftAgainst); // previous and reference: the second
        Assert.Empty(await services.GetRequiredService<DiffRepair>().RepairAsync(agency));
    }

    [Fact]
    public async Task StaleDiffAfterOneLeftAsItWas_IsStillRecomputed()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}"), 0);
        var thirdBlob = await Uploads.UploadAsync(services, $"{agency}/third.csv", PerHost($"A,{Edge}"));
        var third = await services.GetRequiredService<IngestionService>().IngestAsync(thirdBlob, new DateTimeOffset(2017, 10, 2, 14, 0, 0, TimeSpan.Zero).AddDays(95));
        var fifth = await IngestAsync(services, agency, "fifth.csv", PerHost($"A,{Edge}"), 150);
        await thirdBlob.DeleteAsync();
        await IngestAsync(services, agency, "second.csv", PerHost($"A,{Kes}", $"B,{Edge}"), 60); // the third is left as it was

        // The fourth, received before the fifth and processed after it: the fifth is compared with it, past the third.
        var fourth = await IngestAsync(services, agency, "fourth.csv", PerHost($"A,{Kes}"), 125);

        var diff = (await services.GetRequiredService<HostDiffStore>().GetAsync(agency, fifth.Submission.SubmissionId))!;
        Assert.Equal(fourth.Submission.SubmissionId, diff.PreviousSubmissionId);
        Assert.Equal(("A", HostChangeKinds.Removed), (diff.Hosts[0].Hostname, diff.Hosts[0].Change));
        Assert.Equal(third.Submission.SubmissionId, (await services.GetRequiredService<HostDiffStore>().GetAsync(agency, fourth.Submission.SubmissionId))!.PreviousSubmissionId);
        Assert.Empty(await services.GetRequiredService<DiffRepair>().RepairAsync(agency));
    }

    [Fact]
    public async Task ReferenceFleetChangedPastADiffLeftAsItWas_RecomputesTheDiffThatUsesIt()
    {
        // Aggregated exports are judged by their fleet against the last full inventory's. Y (partial) cannot be
        // recomputed; Z was judged against A's fleet. When B arrives late, Z's reference is B, though its previous
        // inventory (Y) and Y's stamp have not changed.
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        const string header = "displayName,version,publisher,deviceCount\n";
        await IngestAsync(services, agency, "a.csv", header + "Kaspersky Endpoint Security for Windows,11.1,AO Kaspersky Lab,50\nMicrosoft Edge,41.0,Microsoft Corporation,1000\n", 0);
        var yBlob = await Uploads.UploadAsync(services, $"{agency}/y.csv", header + "Microsoft Edge,41.0,Microsoft Corporation,500\n");
        var y = await services.GetRequiredService<IngestionService>().IngestAsync(yBlob, new DateTimeOffset(2017, 10, 2, 14, 0, 0, TimeSpan.Zero).AddDays(95));
        var z = await IngestAsync(services, agency, "z.csv", header + "Microsoft Edge,41.0,Microsoft Corporation,900\n", 125);
        Assert.Equal((CoverageKinds.Partial, CoverageKinds.Full), (y.Submission.Coverage, z.Submission.Coverage));
        await yBlob.DeleteAsync();

        await IngestAsync(services, agency, "b.csv", header + "Kaspersky Endpoint Security for Windows,11.1,AO Kaspersky Lab,10\nMicrosoft Edge,41.0,Microsoft Corporation,2000\n", 60);

        var diff = (await services.GetRequiredService<HostDiffStore>().GetAsync(agency, z.Submission.SubmissionId))!;
        Assert.Equal((CoverageKinds.Partial, 2000L), (diff.Coverage.Kind, diff.Coverage.ReferenceFleetSize));
        Assert.Equal(CoverageKinds.Partial, (await services.GetRequiredService<SubmissionStore>().FindAsync(agency, z.Submission.SubmissionId))!.Coverage);
        Assert.Equal(y.Submission.SubmissionId, diff.PreviousSubmissionId);
        Assert.Empty(await services.GetRequiredService<DiffRepair>().RepairAsync(agency));
    }

    [Fact]
    public async Task TwinDeliveriesOfOneUpload_AtOnce_LeaveOneWholeDiff()
    {
        await using var services = Pipeline.Create(azurite);
        var ingestion = services.GetRequiredService<IngestionService>();
        for (var round = 0; round < 4; round++)
        {
            var agency = (await Uploads.RegisterAsync(services)).Id;
            await IngestAsync(services, agency, "first.csv", PerHost([.. Enumerable.Range(0, 400).Select(i => $"host-{i:D3},{Kes}")]), 0);
            var blob = await Uploads.UploadAsync(services, $"{agency}/second.csv", PerHost([.. Enumerable.Range(0, 400).Select(i => $"host-{i:D3},{(i % 2 == 0 ? Kes : Edge)}")]));

            var results = await Task.WhenAll(ingestion.IngestAsync(blob, new DateTimeOffset(2017, 10, 2, 14, 0, 0, TimeSpan.Zero).AddDays(60)), ingestion.IngestAsync(blob, new DateTimeOffset(2017, 10, 2, 14, 0, 0, TimeSpan.Zero).AddDays(60)));

            var diff = (await services.GetRequiredService<HostDiffStore>().GetAsync(agency, results[0].Submission.SubmissionId))!;
            Assert.Equal(400, diff.Hosts.Count);
            Assert.Equal((200, 200), (diff.Remaining, diff.Removed));
            Assert.Equal(diff.Hosts.Select(h => h.Hostname).Distinct(StringComparer.OrdinalIgnoreCase).Count(), diff.Hosts.Count);
            Assert.Empty(await services.GetRequiredService<DiffRepair>().RepairAsync(agency));
        }
    }

    [Fact]
    public async Task RepairThatFails_FailsTheDelivery_AndTheRedeliveryFinishesIt()
    {
        // The repair runs last, after the receipt. If it fails, the delivery fails, and its retry finds the submission
        // complete: that path repairs too.
        var failSummaries = new FailSummaryQueryOnce();
        var settings = new KDirective.Storage.StorageClientSettings();
        settings.Policies.Add(failSummaries);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}"), 0);
        var third = await IngestAsync(services, agency, "third.csv", PerHost($"A,{Edge}"), 95);
        var secondBlob = await Uploads.UploadAsync(services, $"{agency}/second.csv", PerHost($"A,{Kes}", $"B,{Edge}"));
        var ingestion = services.GetRequiredService<IngestionService>();
        var receivedAt = third.Submission.ReceivedAt.AddDays(-35);
        failSummaries.Armed = true;

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => ingestion.IngestAsync(secondBlob, receivedAt));

        var diffs = services.GetRequiredService<HostDiffStore>();
        Assert.NotEqual(CoverageKinds.Full, (await diffs.GetAsync(agency, third.Submission.SubmissionId))!.Coverage.Kind);
        var redelivered = await ingestion.IngestAsync(secondBlob, receivedAt);

        Assert.True(redelivered.AlreadyProcessed);
        var diff = (await diffs.GetAsync(agency, third.Submission.SubmissionId))!;
        Assert.Equal((redelivered.Submission.SubmissionId, CoverageKinds.Full), (diff.PreviousSubmissionId, diff.Coverage.Kind));
    }

    /// <summary>
    /// Once armed, fails the second query of every diff summary of an agency: an ingestion makes the first for the
    /// reference fleet, the repair the second.
    /// </summary>
    private sealed class FailSummaryQueryOnce : HttpPipelinePolicy
    {
        private int _seen;

        public bool Armed { get; set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            Armed && message.Request.Method == RequestMethod.Get
                && message.Request.Uri.Path.EndsWith($"/{KDirective.Storage.StorageNames.HostDiffsTable}()", StringComparison.Ordinal)
                && Uri.UnescapeDataString(message.Request.Uri.Query).Contains("lt 'd.'", StringComparison.Ordinal)
                && Interlocked.Increment(ref _seen) == 2
                ? throw new Azure.RequestFailedException(503, "injected: the summaries query failed")
                : ProcessNextAsync(message, pipeline);
    }
}
