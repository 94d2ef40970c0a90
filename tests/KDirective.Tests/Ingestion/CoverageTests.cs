using Azure.Core;
using Azure.Core.Pipeline;
using KDirective.Directive;
using KDirective.Ingestion;
using KDirective.Inventory;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

/// <summary>Partial inventories cannot close removal, and the diffs say which hosts still carry the product.</summary>
[Collection(AzuriteCollection.Name)]
public class CoverageTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset October = new(2017, 10, 2, 14, 0, 0, TimeSpan.Zero);

    internal const string Kes = "AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1.1.126";
    internal const string Edge = "Microsoft Corporation,Microsoft Edge,41.0";
    private const string Kav = "AO Kaspersky Lab,Kaspersky Anti-Virus,18.0.0.405";
    private const string KesName = "Kaspersky Endpoint Security for Windows";
    private const string KavName = "Kaspersky Anti-Virus";

    internal static string PerHost(params string[] rows) => "Hostname,Publisher,Product,Version\n" + string.Join('\n', rows) + "\n";

    internal static async Task<IngestionResult> IngestAsync(IServiceProvider services, string agency, string name, string content, int day) =>
        await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency}/{name}", content), October.AddDays(day));

    /// <summary>The temporary files of spilled hosts and host keys (the fleet's), present now.</summary>
    private static string[] SpilledHostFiles() =>
        [.. Directory.GetFiles(Path.GetTempPath(), "kdirective-*.hosts").Concat(Directory.GetFiles(Path.GetTempPath(), "kdirective-*.keys")).Order(StringComparer.Ordinal)];

    internal static async Task<AgencyMilestones> MilestonesAsync(IServiceProvider services, string agency)
    {
        var asOf = new DateTimeOffset(2018, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var history = AgencyHistory.From(await services.GetRequiredService<SubmissionStore>().ListAsync(agency), asOf);
        return services.GetRequiredService<MilestoneEvaluator>().Evaluate(history, asOf);
    }

    [Fact]
    public async Task CleanInventoryThatOmitsHostsWithFindings_IsPartialNamesThemAndLeavesRemovalOpen()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await IngestAsync(services, agency, "first.csv", PerHost($"PC-1,{Kes}", $"PC-2,{Kes}", $"PC-3,{Kes}", $"PC-4,{Edge}"), 0);

        var clean = await IngestAsync(services, agency, "clean.csv", PerHost($"PC-1,{Edge}", $"PC-9,{Edge}"), 90);

        Assert.Equal((CoverageKinds.Partial, 2), (clean.Submission.Coverage, clean.Submission.HostsLacking));
        Assert.Equal(["PC-2", "PC-3"], clean.Coverage!.HostsLackingFirst);
        var result = await Uploads.ReadResultAsync(services, clean.ResultBlobName);
        Assert.Equal("partial", result.GetProperty("coverage").GetString());
        Assert.Equal(["PC-2", "PC-3"], result.GetProperty("hostsLacking").EnumerateArray().Select(h => h.GetString()));
        Assert.Null((await MilestonesAsync(services, agency)).RemovalCompletedAt);
    }

    [Fact]
    public async Task CleanInventoryListingEveryHostThatHadFindings_CompletesRemoval()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await IngestAsync(services, agency, "first.csv", PerHost($"PC-1,{Kes}", $"PC-2,{Kes}"), 0);

        // Hostnames compare case-insensitively, as the reader counts them.
        var clean = await IngestAsync(services, agency, "clean.csv", PerHost($"pc-1,{Edge}", $"PC-2,{Edge}"), 90);

        Assert.Equal((CoverageKinds.Full, 0), (clean.Submission.Coverage, clean.Submission.HostsLacking));
        Assert.Equal(clean.Submission.ReceivedAt, (await MilestonesAsync(services, agency)).RemovalCompletedAt);
    }

    [Fact]
    public async Task PartialInventory_WithHundredsOfLongHostnamesLacking_StillCompletes_AndListsTheFirstThatFit()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var hosts = Enumerable.Range(0, 150).Select(i => $"host-{i:D3}-".PadRight(500, 'x')).ToArray(); // the reader allows 512
        await IngestAsync(services, agency, "first.csv", PerHost([.. hosts.Select(h => $"{h},{Kes}")]), 0);

        var partial = await IngestAsync(services, agency, "second.csv", PerHost($"other,{Edge}"), 95);

        Assert.Equal((SubmissionOutcomes.Accepted, CoverageKinds.Partial, 150), (partial.Submission.Outcome, partial.Submission.Coverage, partial.Submission.HostsLacking));
        var listed = System.Text.Json.JsonSerializer.Deserialize<List<string>>(partial.Submission.HostsLackingJson)!;
        Assert.InRange(listed.Count, 50, 59); // as many 500-character names as fit in one property, in order
        Assert.Equal(hosts.Take(listed.Count), listed);
        var diff = (await services.GetRequiredService<HostDiffStore>().GetLatestAsync(agency))!;
        Assert.Equal(150, diff.Unreported);
        Assert.Equal(hosts.Take(diff.CarryingFirst.Count), diff.CarryingFirst);
    }

    [Fact]
    public async Task HostDiff_ListsEveryBannedProductOfAHost_OnceAndInOrder_WhateverTheCaseOfItsName()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        const string Agent = "AO Kaspersky Lab,Kaspersky Security Center Network Agent,10.5";

        await IngestAsync(services, agency, "first.csv", PerHost($"pc-1,{Agent}", $"PC-1,{Kes}", $"pc-1,{Edge}", $"Pc-1,{Kes}", $"pc-2,{Agent}"), 0);

        var hosts = (await services.GetRequiredService<HostDiffStore>().GetLatestAsync(agency))!.Hosts;
        Assert.Equal(
            [("pc-1", HostChangeKinds.New, "Kaspersky Endpoint Security for Windows|Kaspersky Security Center Network Agent"), ("pc-2", HostChangeKinds.New, "Kaspersky Security Center Network Agent")],
            hosts.Select(h => (h.Hostname, h.Change, string.Join('|', h.Products))));
    }

    [Fact]
    public async Task InventoryCompletedWhileAnotherIsRead_IsTheOneThatInventoryIsComparedWith()
    {
        // The check looks up the previous inventory while the file is read. Here an earlier inventory completes right
        // after that look-up, before the file is read: the check must compare with it, not with what the look-up found.
        var completeAnother = new CompleteAnotherMeanwhile("/third.csv");
        var settings = new StorageClientSettings();
        settings.Policies.Add(completeAnother);
        await using var services = Pipeline.Create(azurite, settings);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var first = await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}"), 0);
        var third = await Uploads.UploadAsync(services, $"{agency}/third.csv", PerHost($"A,{Edge}")); // B not listed
        var secondBlob = await Uploads.UploadAsync(services, $"{agency}/second.csv", PerHost($"A,{Kes}", $"B,{Edge}")); // B cleaned
        IngestionResult? second = null;
        completeAnother.Arm(async () => second = await services.GetRequiredService<IngestionService>().IngestAsync(secondBlob, October.AddDays(30)));

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(third, October.AddDays(60));

        Assert.NotNull(second);
        var diff = (await services.GetRequiredService<HostDiffStore>().GetAsync(agency, result.Submission.SubmissionId))!;
        Assert.Equal(second.Submission.SubmissionId, diff.PreviousSubmissionId);
        Assert.NotEqual(first.Submission.SubmissionId, diff.PreviousSubmissionId);

        // Against the second inventory only A still carried the product, and the third lists it clean: B, cleaned in
        // the second, is not lacking (against the first it would be, and the inventory would be partial).
        Assert.Equal((CoverageKinds.Full, 0, 0), (result.Submission.Coverage, result.Submission.HostsLacking, diff.Unreported));
        Assert.Equal([("A", HostChangeKinds.Removed)], diff.Hosts.Select(h => (h.Hostname, h.Change)));
    }

    [Fact]
    public async Task HostDiff_OfAFleetTooLargeToKeepInMemory_FindsTheListedHostsInTheSpilledKeys()
    {
        // Past DistinctKeyCounter.DefaultSpillAt distinct hosts the fleet's keys are on disk, and the check looks the
        // previous carriers up there: cleaned hosts listed anywhere in the file are removed, the rest unreported.
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var carriers = Enumerable.Range(0, 60).Select(i => $"WS{i * 331:D6}").ToArray(); // spread over the file, all under its last host
        await IngestAsync(services, agency, "first.csv", PerHost([.. carriers.Select(h => $"{h},{Kes}")]), 0);

        var hosts = DistinctKeyCounter.DefaultSpillAt + 4000;
        var rows = Enumerable.Range(0, hosts).Select(i => $"WS{i:D6}").Where(h => !carriers.Take(20).Contains(h)) // the first 20 carriers go unlisted
            .Select(h => carriers.Skip(40).Contains(h) ? $"{h.ToLowerInvariant()},{Kes}" : $"{h},{Edge}"); // the last 20 still carry it
        var second = await IngestAsync(services, agency, "second.csv", PerHost([.. rows]), 95);

        var diff = (await services.GetRequiredService<HostDiffStore>().GetAsync(agency, second.Submission.SubmissionId))!;
        Assert.Equal((20, 20, 0, 20), (diff.Removed, diff.Remaining, diff.New, diff.Unreported));
        Assert.Equal(carriers.Take(20), diff.Hosts.Where(h => h.Change == HostChangeKinds.Unreported).Select(h => h.Hostname));
        Assert.Equal(carriers.Skip(20).Take(20), diff.Hosts.Where(h => h.Change == HostChangeKinds.Removed).Select(h => h.Hostname));
        Assert.Equal((CoverageKinds.Partial, 20, hosts - 20L), (second.Submission.Coverage, second.Submission.HostsLacking, second.Submission.FleetSize));
    }

    [Fact]
    public async Task HostDiff_OfMoreAffectedHostsThanTheTableHolds_IsTheSameHostByHost()
    {
        // Past HostRuns.DefaultSpillAt affected hosts, both sides of the check go to disk as sorted runs: the hosts the
        // previous inventory left carrying, read back from its diff, and the hosts this one found. Every host of each
        // kind must still land where it belongs, and a host met again after its first run was written (under another
        // spelling, with another product) must be one host with both products, under its first spelling.
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var count = HostRuns.DefaultSpillAt + 2000;
        var hosts = Enumerable.Range(0, count).Select(i => $"WS{i:D6}").ToArray();
        await IngestAsync(services, agency, "first.csv", PerHost([.. hosts.Select(h => $"{h},{Kes}")]), 0);

        string[] Kind(int k) => [.. hosts.Where((_, i) => i % 4 == k)];
        var (unlisted, cleaned, remaining, twice) = (Kind(0), Kind(1), Kind(2), Kind(3));
        var added = Enumerable.Range(0, 8000).Select(i => $"NEW{i:D5}").ToArray();
        var rows = twice.Select(h => $"{h},{Kav}") // first spelling, and more than the table holds before the second part
            .Concat(added.Select(h => $"{h},{Kes}"))
            .Concat(remaining.Select(h => $"{h.ToLowerInvariant()},{Kes}"))
            .Concat(twice.Select(h => $"{h.ToLowerInvariant()},{Kes}")) // the same hosts again, after a run was written
            .Concat(cleaned.Select(h => $"{h},{Edge}"));
        var spilledBefore = SpilledHostFiles();
        var second = await IngestAsync(services, agency, "second.csv", PerHost([.. rows]), 95);
        Assert.Equal(spilledBefore, SpilledHostFiles()); // both sides' runs and the fleet's were deleted when ingestion ended

        var diff = (await services.GetRequiredService<HostDiffStore>().GetAsync(agency, second.Submission.SubmissionId))!;
        Assert.Equal((cleaned.Length, remaining.Length + twice.Length, added.Length, unlisted.Length), (diff.Removed, diff.Remaining, diff.New, diff.Unreported));
        var byHost = diff.Hosts.ToDictionary(h => h.Hostname, StringComparer.Ordinal);
        Assert.Equal(diff.Hosts.Count, byHost.Count);
        Assert.All(unlisted, h => Assert.Equal(HostChangeKinds.Unreported, byHost[h].Change));
        Assert.All(cleaned, h => Assert.Equal(HostChangeKinds.Removed, byHost[h].Change));
        Assert.All(remaining, h => Assert.Equal((HostChangeKinds.Remaining, KesName), (byHost[h.ToLowerInvariant()].Change, Assert.Single(byHost[h.ToLowerInvariant()].Products))));
        Assert.All(twice, h => Assert.Equal((HostChangeKinds.Remaining, $"{KavName}|{KesName}"), (byHost[h].Change, string.Join('|', byHost[h].Products))));
        Assert.All(added, h => Assert.Equal(HostChangeKinds.New, byHost[h].Change));
        Assert.Equal(diff.Hosts.OrderBy(h => h.Hostname, StringComparer.OrdinalIgnoreCase).Select(h => h.Hostname), diff.Hosts.Select(h => h.Hostname));
        Assert.Equal((CoverageKinds.Partial, unlisted.Length), (second.Submission.Coverage, second.Submission.HostsLacking));
    }

    [Fact]
    public async Task HostDiff_SaysWhichHostsWereRemovedRemainAreNewOrWentUnreported()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var first = await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}", $"C,{Kes}"), 0);

        var second = await IngestAsync(services, agency, "second.csv", PerHost($"A,{Kes}", $"B,{Edge}", $"D,{Kes}"), 95);

        var store = services.GetRequiredService<HostDiffStore>();
        var diff = await store.GetLatestAsync(agency);
        Assert.NotNull(diff);
        Assert.Equal((second.Submission.SubmissionId, first.Submission.SubmissionId), (diff.SubmissionId, diff.PreviousSubmissionId));
        Assert.Equal(
            [("A", HostChangeKinds.Remaining), ("B", HostChangeKinds.Removed), ("C", HostChangeKinds.Unreported), ("D", HostChangeKinds.New)],
            diff.Hosts.Select(h => (h.Hostname, h.Change)));
        Assert.Equal((1, 1, 1, 1, 3), (diff.Removed, diff.Remaining, diff.New, diff.Unreported, diff.Carrying));
        Assert.Equal(["A", "C", "D"], (await store.CurrentFindingsByHostAsync(agency)).Select(h => h.Hostname));
        Assert.Equal(["Kaspersky Endpoint Security for Windows"], (await store.CurrentFindingsByHostAsync(agency))[0].Products);
    }

    [Fact]
    public async Task HostMissingFromTwoInventories_StillKeepsTheNextCleanOnePartial()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"C,{Kes}"), 0);
        await IngestAsync(services, agency, "second.csv", PerHost($"A,{Kes}"), 95);

        var clean = await IngestAsync(services, agency, "third.csv", PerHost($"A,{Edge}"), 125);

        Assert.Equal(CoverageKinds.Partial, clean.Submission.Coverage);
        Assert.Equal(["C"], clean.Coverage!.HostsLackingFirst);
        Assert.Null((await MilestonesAsync(services, agency)).RemovalCompletedAt);
    }

    [Fact]
    public async Task AggregatedCleanExport_ClosesRemovalOnlyWithMinCoverageOfTheFleet()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        const string header = "displayName,version,publisher,deviceCount\n";
        await IngestAsync(services, agency, "first.csv", header + "Kaspersky Endpoint Security for Windows,11.1,AO Kaspersky Lab,50\nMicrosoft Edge,41.0,Microsoft Corporation,1000\n", 0);

        var small = await IngestAsync(services, agency, "small.csv", header + "Microsoft Edge,41.0,Microsoft Corporation,899\n", 95);
        var enough = await IngestAsync(services, agency, "enough.csv", header + "Microsoft Edge,41.0,Microsoft Corporation,900\n", 125);

        Assert.Equal((CoverageKinds.Partial, 899L, 1000L), (small.Submission.Coverage, small.Coverage!.FleetSize, small.Coverage.ReferenceFleetSize));
        Assert.Equal(CoverageKinds.Full, enough.Submission.Coverage);
        Assert.Equal(enough.Submission.ReceivedAt, (await MilestonesAsync(services, agency)).RemovalCompletedAt);
    }

    [Fact]
    public async Task MinCoverage_IsConfiguration()
    {
        await using var services = Pipeline.Create(azurite, config: new Dictionary<string, string?> { ["Directive:MinCoverage"] = "0.5" });
        var agency = (await Uploads.RegisterAsync(services)).Id;
        const string header = "displayName,version,publisher,deviceCount\n";
        await IngestAsync(services, agency, "first.csv", header + "Kaspersky Endpoint Security for Windows,11.1,AO Kaspersky Lab,50\nMicrosoft Edge,41.0,Microsoft Corporation,1000\n", 0);

        var half = await IngestAsync(services, agency, "half.csv", header + "Microsoft Edge,41.0,Microsoft Corporation,500\n", 95);

        Assert.Equal(CoverageKinds.Full, half.Submission.Coverage);
    }

    [Fact]
    public async Task PlanUnderAnInventoryFolderName_AndAPlan_WriteDifferentResults()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var ingestion = services.GetRequiredService<IngestionService>();

        var inventory = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency}/plans/p.md", PerHost($"A,{Kes}")));
        var plan = await ingestion.IngestAsync(await Uploads.UploadAsync(services, $"{agency}/p.md", "# plan", StorageNames.PlansContainer));

        Assert.NotEqual(inventory.ResultBlobName, plan.ResultBlobName);
        Assert.Equal("inventory", (await Uploads.ReadResultAsync(services, inventory.ResultBlobName)).GetProperty("kind").GetString());
        Assert.Equal("plan", (await Uploads.ReadResultAsync(services, plan.ResultBlobName)).GetProperty("kind").GetString());
    }

    /// <summary>
    /// Once armed: after the next query of submissions is answered, runs the action (once); and holds the download of
    /// <c>heldBlob</c> until the action is done.
    /// </summary>
    private sealed class CompleteAnotherMeanwhile(string heldBlob) : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Func<Task>? _then;
        private bool _armed;

        public void Arm(Func<Task> then) => (_then, _armed) = (then, true);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var get = message.Request.Method == RequestMethod.Get;
            if (_armed && get && message.Request.Uri.Path.EndsWith(heldBlob, StringComparison.Ordinal))
            {
                await _done.Task.ConfigureAwait(false);
            }

            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            if (get && message.Request.Uri.Path.EndsWith($"/{StorageNames.SubmissionsTable}()", StringComparison.Ordinal) && Interlocked.Exchange(ref _then, null) is { } then)
            {
                try
                {
                    await then().ConfigureAwait(false);
                }
                finally
                {
                    _done.TrySetResult();
                }
            }
        }
    }
}
