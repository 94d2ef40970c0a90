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
        Assert.InRange(rows.Count, 2, 30); // 3,000 hosts of ~200 characters: more than one row, far fewer than one per host
        Assert.All(rows, r => Assert.InRange(r.GetString("ChangesJson").Length, 1, TableJson.MaxChars));
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
