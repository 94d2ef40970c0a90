using Azure.Data.Tables;
using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

/// <summary>A diff's host changes are packed into rows under the property limit and read back whole, and only its own.</summary>
[Collection(AzuriteCollection.Name)]
public class HostDiffStoreTests(AzuriteFixture azurite)
{
    private static readonly InventoryCoverage Full = new(CoverageKinds.Full, 0, [], 3000, null);

    private static HostChange[] Changes(int count, string change, int nameLength = 120) =>
        [.. Enumerable.Range(0, count).Select(i => new HostChange($"host-{i:D5}-".PadRight(nameLength, 'x'), change, ["Kaspersky Endpoint Security for Windows"]))];

    private static SubmissionEntity Submission(string agency, string id) =>
        new() { PartitionKey = agency, RowKey = id, BlobName = $"{id}.csv", ReceivedAt = new DateTimeOffset(2017, 10, 2, 0, 0, 0, TimeSpan.Zero) };

    [Fact]
    public async Task Save_PacksThousandsOfHostsIntoRowsUnderTheLimit_AndReadsEveryOneBack()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<HostDiffStore>();
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var changes = Changes(3000, HostChangeKinds.New);

        await store.SaveAsync(agency, Submission(agency, "s1"), null, Full, changes);

        var rows = await RowsAsync(services, agency, "s1");

        // 3,000 hosts of ~200 bytes: far fewer rows than hosts, and more than the transactions in flight carry, so the
        // save waits for one to finish before it sends the next.
        Assert.InRange(rows.Count, (HostDiffStore.RowsPerTransaction * HostDiffStore.TransactionsInFlight) + 1, 100);
        Assert.All(rows, r => Assert.InRange(r.GetBinary("Changes").Length, 1, HostDiffStore.RowBytes - 1));
        var diff = await store.GetAsync(agency, "s1");
        Assert.NotNull(diff);
        Assert.Equal(changes.Select(c => c.Hostname), diff.Hosts.Select(h => h.Hostname));
        Assert.All(diff.Hosts, h => Assert.Equal((HostChangeKinds.New, "Kaspersky Endpoint Security for Windows"), (h.Change, Assert.Single(h.Products))));
        Assert.Equal(3000, diff.Carrying);
    }

    [Fact]
    public async Task Save_AgainWithASmallerDiff_LeavesNoRowOfTheLargerOne()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<HostDiffStore>();
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await store.SaveAsync(agency, Submission(agency, "s1"), null, Full, Changes(3000, HostChangeKinds.New));

        await store.SaveAsync(agency, Submission(agency, "s1"), null, Full, [new HostChange("only", HostChangeKinds.Remaining, ["Kaspersky Anti-Virus"])]);

        Assert.Single(await RowsAsync(services, agency, "s1"));
        var diff = await store.GetAsync(agency, "s1");
        Assert.Equal([("only", HostChangeKinds.Remaining)], diff!.Hosts.Select(h => (h.Hostname, h.Change)));
    }

    [Fact]
    public async Task Save_OfOneSubmission_LeavesAnotherSubmissionsRowsAlone()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<HostDiffStore>();
        var agency = (await Uploads.RegisterAsync(services)).Id;
        await store.SaveAsync(agency, Submission(agency, "s1"), null, Full, Changes(3000, HostChangeKinds.New));

        await store.SaveAsync(agency, Submission(agency, "s2"), "s1", Full, [new HostChange("only", HostChangeKinds.Remaining, ["Kaspersky Anti-Virus"])]);

        Assert.Equal(3000, (await store.GetAsync(agency, "s1"))!.Hosts.Count);
        Assert.Single((await store.GetAsync(agency, "s2"))!.Hosts);
    }

    [Fact]
    public async Task Save_KeepsEachTransactionUnderTheBodyLimit_WhenNamesAreEscapedOnTheWire()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<HostDiffStore>();
        var agency = (await Uploads.RegisterAsync(services)).Id;

        // Cyrillic names: each character travels as a six-byte \uXXXX escape, so 100 full rows would be ~18 MB.
        var changes = Enumerable.Range(0, 2000)
            .Select(i => new HostChange($"{i:D5}-".PadRight(500, 'ж'), HostChangeKinds.Unreported, ["Kaspersky Anti-Virus"])).ToArray();
        await store.SaveAsync(agency, Submission(agency, "s1"), null, Full, changes);

        Assert.True((await RowsAsync(services, agency, "s1")).Count > HostDiffStore.RowsPerTransaction);
        Assert.Equal(2000, (await store.GetAsync(agency, "s1"))!.Unreported);
        Assert.Equal(changes.Select(c => c.Hostname), (await store.GetAsync(agency, "s1"))!.Hosts.Select(h => h.Hostname));
    }

    [Fact]
    public async Task HostRowsWrittenBeforeBinaryRows_AreReadFromTheirStringProperty()
    {
        // Until 2026-12-06 a host row held its JSON in the string property ChangesJson; a deployed app keeps those.
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var store = await WithLegacyRowAsync(services, agency, """[{"h":"OLD-1","c":"removed","p":["Kaspersky Anti-Virus"]},{"h":"old-2","c":"remaining","p":["Kaspersky Free","Kaspersky Anti-Virus"]}]""");

        var diff = await store.GetAsync(agency, "s1");

        Assert.NotNull(diff);
        Assert.Equal(
            [("OLD-1", HostChangeKinds.Removed, "Kaspersky Anti-Virus"), ("old-2", HostChangeKinds.Remaining, "Kaspersky Free|Kaspersky Anti-Virus")],
            diff.Hosts.Select(h => (h.Hostname, h.Change, string.Join('|', h.Products))));
    }

    [Fact]
    public async Task Carrying_IsEveryHostButTheRemoved_InStoredOrder_WithOneListPerCombinationOfProducts()
    {
        // What the next inventory's coverage check reads back: across many rows, with escaped names and products.
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<HostDiffStore>();
        var agency = (await Uploads.RegisterAsync(services)).Id;
        string[] kinds = [HostChangeKinds.New, HostChangeKinds.Removed, HostChangeKinds.Remaining, HostChangeKinds.Unreported];
        string[][] products = [["Kaspersky Anti-Virus"], ["Kaspersky \"Free\" <b>", "Kaspersky Anti-Virus"], []];
        var changes = Enumerable.Range(0, 3000)
            .Select(i => new HostChange($"хост-{i:D5}-".PadRight(60, 'ж'), kinds[i % 4], products[i % 3].ToArray()))
            .ToArray();
        await store.SaveAsync(agency, Submission(agency, "s1"), null, Full, changes);
        Assert.True((await RowsAsync(services, agency, "s1")).Count > 1);

        using var runs = new HostRuns(spillAt: 1000); // three runs on disk and one in memory
        await store.CarryingAsync((await store.GetSummaryAsync(agency, "s1", CancellationToken.None))!, runs, CancellationToken.None);
        var carrying = runs.Sorted().ToList();
        Assert.Equal(3, runs.Runs);

        var expected = changes.Where(c => c.Change != HostChangeKinds.Removed).ToArray();
        Assert.Equal(expected.Select(c => (c.Hostname, string.Join('|', c.Products))), carrying.Select(h => (h.Hostname, string.Join('|', h.Products))));
        Assert.Equal(3, carrying.Select(h => h.Products).Distinct(ReferenceEqualityComparer.Instance).Count()); // not a list per host
    }

    [Fact]
    public async Task Carrying_ReadsHostRowsWrittenBeforeBinaryRows()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var store = await WithLegacyRowAsync(services, agency, """[{"h":"OLD-1","c":"removed","p":["Kaspersky Anti-Virus"]},{"h":"old-2","c":"unreported","p":["Kaspersky Free","Kaspersky Anti-Virus"]}]""");

        using var runs = new HostRuns();
        await store.CarryingAsync((await store.GetSummaryAsync(agency, "s1", CancellationToken.None))!, runs, CancellationToken.None);
        var carrying = runs.Sorted().ToList();

        Assert.Equal([("old-2", "Kaspersky Free|Kaspersky Anti-Virus")], carrying.Select(h => (h.Hostname, string.Join('|', h.Products))));
    }

    [Fact]
    public async Task Save_RefusesAHostChangeLargerThanARow_BeforeWritingAnything()
    {
        // Products are catalog names, so this takes a catalog with absurd names; the save says which host, not IndexOutOfRange.
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<HostDiffStore>();
        var agency = (await Uploads.RegisterAsync(services)).Id;
        HostChange[] changes = [new("PC-1", HostChangeKinds.New, Enumerable.Range(0, 40).Select(i => $"Kaspersky {i} ".PadRight(500, 'x')).ToArray())];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveAsync(agency, Submission(agency, "s1"), null, Full, changes));

        Assert.Contains("'PC-1'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(services, agency, "s1"));
        Assert.Null(await store.GetAsync(agency, "s1"));
    }

    [Fact]
    public async Task Save_WhoseSummaryAnotherWriterStoredMeanwhile_Conflicts_RemovesItsRows_AndLeavesTheOtherWhole()
    {
        // Two writers of one diff (a twin delivery, two repairs): the second's rows are written while the first's are,
        // and the first's summary is refused. Without generations their rows would mix under one summary.
        HostDiffStore? store = null;
        var agency = Pipeline.NewAgencyId();
        var other = new CompetingWrite(
            m => m.Request.Method == Azure.Core.RequestMethod.Post && CompetingWrite.IsWriteTo(m, StorageNames.HostDiffsTable),
            () => store!.SaveAsync(agency, Submission(agency, "s1"), null, Full, Changes(5, HostChangeKinds.Remaining)));
        var settings = new StorageClientSettings();
        settings.Policies.Add(other);
        await using var services = Pipeline.Create(azurite, settings);
        store = services.GetRequiredService<HostDiffStore>();

        await Assert.ThrowsAsync<DiffConflictException>(() => store.SaveAsync(agency, Submission(agency, "s1"), null, Full, Changes(3000, HostChangeKinds.New)));

        Assert.Equal([204, 409], other.Responses);
        var diff = (await store.GetAsync(agency, "s1"))!;
        Assert.Equal(Enumerable.Repeat(HostChangeKinds.Remaining, 5), diff.Hosts.Select(h => h.Change));
        Assert.Single(await RowsAsync(services, agency, "s1"));
    }

    [Fact]
    public async Task Save_WhoseSummaryWasStoredButAnsweredWithAConflict_KeepsItsRows()
    {
        // The client retries a request whose response was lost, and the retry meets the summary the first attempt
        // stored: the write succeeded, and its rows are the diff's.
        var lostResponse = new AnswerConflictAfterStoring();
        var settings = new StorageClientSettings();
        settings.Policies.Add(lostResponse);
        await using var services = Pipeline.Create(azurite, settings);
        var store = services.GetRequiredService<HostDiffStore>();
        var agency = Pipeline.NewAgencyId();

        await store.SaveAsync(agency, Submission(agency, "s1"), null, Full, Changes(3000, HostChangeKinds.New));

        Assert.True(lostResponse.Fired);
        Assert.Equal(3000, (await store.GetAsync(agency, "s1"))!.Hosts.Count);
    }

    [Fact]
    public async Task Read_WhileTheDiffIsWrittenAgain_GetsTheNewDiffWhole()
    {
        HostDiffStore? store = null;
        var agency = Pipeline.NewAgencyId();
        var rewrite = new CompetingWrite(
            m => m.Request.Method == Azure.Core.RequestMethod.Get && m.Request.Uri.Path.EndsWith($"/{StorageNames.HostDiffsTable}()", StringComparison.Ordinal)
                && Uri.UnescapeDataString(m.Request.Uri.Query).Contains("'h-s1-g", StringComparison.Ordinal),
            () => store!.SaveAsync(agency, Submission(agency, "s1"), null, Full, Changes(40, HostChangeKinds.Remaining)));
        var settings = new StorageClientSettings();
        settings.Policies.Add(rewrite);
        await using var services = Pipeline.Create(azurite, settings);
        store = services.GetRequiredService<HostDiffStore>();
        await store.SaveAsync(agency, Submission(agency, "s1"), null, Full, Changes(3000, HostChangeKinds.New)); // no read: the policy waits

        var diff = (await store.GetAsync(agency, "s1"))!;

        Assert.True(rewrite.Fired);
        Assert.Equal((40, 40), (diff.Hosts.Count, diff.Remaining));
        Assert.All(diff.Hosts, h => Assert.Equal(HostChangeKinds.Remaining, h.Change));
    }

    /// <summary>Stores the first diff summary added, then answers 409 as a retry of a lost response would meet it.</summary>
    private sealed class AnswerConflictAfterStoring : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private int _fired;

        public bool Fired => _fired > 0;

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            if (message.Request.Method == Azure.Core.RequestMethod.Post && CompetingWrite.IsWriteTo(message, StorageNames.HostDiffsTable)
                && message.Response.Status == 204 && Interlocked.Exchange(ref _fired, 1) == 0)
            {
                throw new Azure.RequestFailedException(409, "The specified entity already exists.", "EntityAlreadyExists", null);
            }
        }
    }

    [Fact]
    public async Task DiffStoredBeforeGenerations_IsRead_AndItsRowsGoWhenItIsWrittenAgain()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<HostDiffStore>();
        var agency = Pipeline.NewAgencyId();
        var table = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.HostDiffsTable);
        await table.UpsertEntityAsync(new HostDiffEntity { PartitionKey = agency, RowKey = "d-s1", SubmissionId = "s1", BlobName = "s1.csv", Remaining = 1 });
        await table.UpsertEntityAsync(new TableEntity(agency, "h-s1-00000") { ["ChangesJson"] = """[{"h":"OLD-1","c":"remaining","p":["Kaspersky Anti-Virus"]}]""" });

        Assert.Equal(["OLD-1"], (await store.GetAsync(agency, "s1"))!.Hosts.Select(h => h.Hostname));

        await store.SaveAsync(agency, Submission(agency, "s1"), null, Full, Changes(2, HostChangeKinds.New));

        Assert.Equal(2, (await store.GetAsync(agency, "s1"))!.Hosts.Count);
        Assert.DoesNotContain(await RowsAsync(services, agency, "s1"), r => r.RowKey == "h-s1-00000");
        Assert.Single(await RowsAsync(services, agency, "s1"));
    }

    /// <summary>Saves a one-host diff as submission s1, then turns its row into one written before binary rows: a string holding <paramref name="json"/>.</summary>
    private static async Task<HostDiffStore> WithLegacyRowAsync(IServiceProvider services, string agency, string json)
    {
        var store = services.GetRequiredService<HostDiffStore>();
        await store.SaveAsync(agency, Submission(agency, "s1"), null, Full, Changes(1, HostChangeKinds.New));
        var row = Assert.Single(await RowsAsync(services, agency, "s1"));
        await services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.HostDiffsTable)
            .UpsertEntityAsync(new TableEntity(agency, row.RowKey) { ["ChangesJson"] = json }, TableUpdateMode.Replace);
        return store;
    }

    private static async Task<List<TableEntity>> RowsAsync(IServiceProvider services, string agency, string submissionId)
    {
        var table = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.HostDiffsTable);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == agency && e.RowKey.CompareTo($"h-{submissionId}-") > 0 && e.RowKey.CompareTo($"h-{submissionId}.") < 0))
        {
            rows.Add(row);
        }

        return rows;
    }
}
