using KDirective.Dashboard;
using KDirective.Ingestion;
using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Dashboard;

/// <summary>The agency page's host diff is the one stored at ingestion: a host a partial inventory leaves out is not "removed".</summary>
[Collection(AzuriteCollection.Name)]
public class StoredHostDiffTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset October = new(2017, 10, 2, 14, 0, 0, TimeSpan.Zero);
    private const string Kes = "AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,11.1.1.126";
    private const string Edge = "Microsoft Corporation,Microsoft Edge,41.0";

    private static string PerHost(params string[] rows) => "Hostname,Publisher,Product,Version\n" + string.Join('\n', rows) + "\n";

    private static async Task<SubmissionEntity> IngestAsync(IServiceProvider services, string agency, string name, string content, int day) =>
        (await services.GetRequiredService<IngestionService>().IngestAsync(await Uploads.UploadAsync(services, $"{agency}/{name}", content), October.AddDays(day))).Submission;

    [Fact]
    public async Task HostLeftOutOfAPartialInventory_IsShownAsNotListed_NeverAsRemoved()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var first = await IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}", $"C,{Kes}"), 0);
        var second = await IngestAsync(services, agency, "second.csv", PerHost($"A,{Kes}", $"B,{Edge}", $"D,{Kes}"), 95);

        var diff = await new StoredHostDiff(services.GetRequiredService<HostDiffStore>()).CompareAsync(agency, second, first);

        Assert.True(diff.HasPrevious);
        Assert.Equal(["B"], diff.Removed);
        Assert.Equal(["A"], diff.Remaining);
        Assert.Equal(["D"], diff.New);
        Assert.Equal(["C"], diff.Unreported);
    }

    [Fact]
    public async Task InventoryWithNoStoredDiff_ShowsNoComparison()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var unknown = new SubmissionEntity { PartitionKey = agency, RowKey = "0123456789abcdef0123456789abcdef" };

        var diff = await new StoredHostDiff(services.GetRequiredService<HostDiffStore>()).CompareAsync(agency, unknown, null);

        Assert.Same(KDirective.Dashboard.HostDiff.None, diff);
    }
}
