using Azure.Data.Tables;
using KDirective.Ingestion;
using KDirective.Storage;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

/// <summary>Reading diffs that do not exist, choosing the latest, deleting one whole, and packing rows to the exact limit.</summary>
[Collection(AzuriteCollection.Name)]
public class HostDiffReadTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Day = new(2017, 10, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly InventoryCoverage Full = new(CoverageKinds.Full, 0, [], 10, null);
    private static readonly HostChange[] OneHost = [new("PC-1", HostChangeKinds.New, ["Kaspersky Anti-Virus"])];

    private static SubmissionEntity Submission(string agency, string id, string name, DateTimeOffset receivedAt) =>
        new() { PartitionKey = agency, RowKey = id, BlobName = $"{agency}/{name}", ReceivedAt = receivedAt };

    [Fact]
    public async Task Reads_ForAnAgencyWithNoInventory_AreEmptyNotErrors()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<HostDiffStore>();
        var agency = Pipeline.NewAgencyId();

        Assert.Null(await store.GetLatestAsync(agency));
        Assert.Null(await store.GetLatestSummaryAsync(agency));
        Assert.Null(await store.GetAsync(agency, "no-such-submission"));
        Assert.Empty(await store.CurrentFindingsByHostAsync(agency));
    }

    [Fact]
    public async Task Latest_IsTheLastReceived_ThenTheLastByName_WhateverTheRowOrder()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<HostDiffStore>();
        var timed = Pipeline.NewAgencyId();
        var tied = Pipeline.NewAgencyId();

        // Rows come back in id order: the newer diff ("s1") is read before the older one, whose name sorts last.
        await store.SaveAsync(timed, Submission(timed, "s1", "a-new.csv", Day.AddDays(1)), null, Full, OneHost);
        await store.SaveAsync(timed, Submission(timed, "s2", "z-old.csv", Day), null, Full, OneHost);
        // Same second: b.csv is later than a.csv, though a.csv's id sorts (and is read) last.
        await store.SaveAsync(tied, Submission(tied, "zz", "a.csv", Day), null, Full, OneHost);
        await store.SaveAsync(tied, Submission(tied, "aa", "b.csv", Day), null, Full, OneHost);

        Assert.Equal(("s1", "s1"), ((await store.GetLatestAsync(timed))!.SubmissionId, (await store.GetLatestSummaryAsync(timed))!.SubmissionId));
        Assert.Equal(("aa", "aa"), ((await store.GetLatestAsync(tied))!.SubmissionId, (await store.GetLatestSummaryAsync(tied))!.SubmissionId));
    }

    [Fact]
    public async Task Delete_RemovesTheSummaryAndEveryHostRow()
    {
        await using var services = Pipeline.Create(azurite);
        var store = services.GetRequiredService<HostDiffStore>();
        var agency = Pipeline.NewAgencyId();
        var changes = Enumerable.Range(0, 600).Select(i => new HostChange($"host-{i:D4}-".PadRight(200, 'x'), HostChangeKinds.New, ["Kaspersky Anti-Virus"])).ToArray();
        await store.SaveAsync(agency, Submission(agency, "s1", "inv.csv", Day), null, Full, changes);
        await store.SaveAsync(agency, Submission(agency, "s2", "other.csv", Day), null, Full, OneHost);

        await store.DeleteAsync(agency, "s1");

        var table = services.GetRequiredService<StorageConnection>().Tables.GetTableClient(StorageNames.HostDiffsTable);
        var left = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == agency, select: ["RowKey"]))
        {
            left.Add(row.RowKey);
        }

        Assert.DoesNotContain(left, k => k.Contains("s1", StringComparison.Ordinal));
        Assert.Equal(2, left.Count); // s2's summary and its one host row
        Assert.Null(await store.GetAsync(agency, "s1"));
    }

    [Fact]
    public void Pack_FillsARowAsFarAsTheRuleAllows_AndStartsANewOneForOneByteMore()
    {
        Assert.Empty(HostDiffStore.Pack([]));

        // Hosts of known JSON length (ASCII: a byte a character): a row is "[" + the changes joined by "," + "]".
        static HostChange Host(int i, int nameLength) => new($"h{i:D3}-".PadRight(nameLength, 'x'), HostChangeKinds.Unreported, ["Kaspersky Anti-Virus"]);
        var overhead = HostDiffStore.Pack([Host(0, 100)]).Single().Length - 2 - 100;
        var fillers = new List<HostChange>();
        var used = 2; // the brackets, then each change and the comma before the next
        while (HostDiffStore.RowBytes - 1 - (used + 400 + overhead + 1) - overhead >= 50)
        {
            fillers.Add(Host(fillers.Count, 400));
            used += 400 + overhead + 1;
        }

        // The packing rule keeps a row under the limit: at most RowBytes - 1 bytes.
        var lastName = HostDiffStore.RowBytes - 1 - used - overhead;
        Assert.InRange(lastName, 50, 512);

        var exact = HostDiffStore.Pack([.. fillers, Host(999, lastName)]).ToArray();
        var over = HostDiffStore.Pack([.. fillers, Host(999, lastName + 1)]).ToArray();

        Assert.Equal(HostDiffStore.RowBytes - 1, Assert.Single(exact).Length);
        Assert.Equal(2, over.Length);
        Assert.All(over, row => Assert.InRange(row.Length, 1, HostDiffStore.RowBytes));
    }

    [Fact]
    public void Pack_WritesEachChangeAsTheSerializerDoes()
    {
        // Values the encoder escapes (quotes, HTML, controls, a lone surrogate's neighbour, non-ASCII kept or escaped),
        // names that differ only in case (ordinal tie-break), and a change without products.
        HostChange[] changes =
        [
            new("pc-2", HostChangeKinds.Removed, []),
            new("PC-2", HostChangeKinds.Remaining, ["Kaspersky Anti-Virus", "Kaspersky \"Endpoint\" Security"]),
            new("ПК-1", HostChangeKinds.New, ["Kaspersky <script>alert(1)</script>"]),
            new("a&b'c\u0001\t\\", HostChangeKinds.Unreported, ["Kaspersky 😀 Ünïcode"]),
            new("+SUM(1)", HostChangeKinds.New, ["Kaspersky Free"]),
        ];

        var ordered = changes.OrderBy(c => c.Hostname, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Hostname, StringComparer.Ordinal).ToArray();
        var reference = ordered.Select(c => TableJson.Serialize(new HostDiffStore.StoredChange(c.Hostname, c.Change, c.Products)));

        Assert.Equal($"[{string.Join(',', reference)}]", System.Text.Encoding.UTF8.GetString(Assert.Single(HostDiffStore.Pack(ordered))));
    }

    [Fact]
    public void Pack_RefusesChangesOutOfHostnameOrder_RatherThanStoreADiffThatReadsBackWrong()
    {
        // Rows are streamed as they fill, so Pack cannot sort: the coverage rule gives changes in order, and a caller that
        // does not is a bug to stop, not to store. PC-2 sorts before pc-2 (ordinal tie-break), so this pair is out of order.
        HostChange[] changes = [new("pc-2", HostChangeKinds.Removed, []), new("PC-2", HostChangeKinds.Remaining, [])];

        var error = Assert.Throws<ArgumentException>(() => HostDiffStore.Pack(changes).ToList());
        Assert.Contains("'pc-2' came before 'PC-2'", error.Message, StringComparison.Ordinal);
        Assert.Single(HostDiffStore.Pack([changes[1], changes[0]]));
    }

    [Fact]
    public void Pack_SplitsManyChangesIntoRowsThatReadBackToTheSameChanges()
    {
        var changes = Enumerable.Range(0, 3_000)
            .Select(i => new HostChange($"хост-{i:D5}-".PadRight(60, 'ж'), i % 2 == 0 ? HostChangeKinds.New : HostChangeKinds.Removed, ["Kaspersky Anti-Virus"]))
            .ToArray();

        var rows = HostDiffStore.Pack(changes).ToArray();
        var read = rows.SelectMany(r => System.Text.Json.JsonSerializer.Deserialize<List<HostDiffStore.StoredChange>>(r, KDirective.Inventory.InventoryJson.Options)!).ToArray();

        Assert.True(rows.Length > 1);
        Assert.All(rows, row => Assert.InRange(row.Length, 1, HostDiffStore.RowBytes - 1));
        Assert.Equal(changes.Select(c => c.Hostname).Order(StringComparer.Ordinal), read.Select(c => c.H));
        Assert.Equal(changes.OrderBy(c => c.Hostname, StringComparer.Ordinal).Select(c => c.Change), read.Select(c => c.C));
        Assert.All(read, c => Assert.Equal(["Kaspersky Anti-Virus"], c.P));
    }
}
