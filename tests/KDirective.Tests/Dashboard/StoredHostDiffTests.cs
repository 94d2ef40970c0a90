using KDirective.Dashboard;
using KDirective.Ingestion;
using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using static KDirective.Tests.Ingestion.CoverageTests;

namespace KDirective.Tests.Dashboard;

/// <summary>The agency page's host diff is the one stored at ingestion: a host a partial inventory leaves out is not "removed".</summary>
[Collection(AzuriteCollection.Name)]
public class StoredHostDiffTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task HostLeftOutOfAPartialInventory_IsShownAsNotListed_NeverAsRemoved()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = (await Uploads.RegisterAsync(services)).Id;
        var first = (await CoverageTests.IngestAsync(services, agency, "first.csv", PerHost($"A,{Kes}", $"B,{Kes}", $"C,{Kes}"), 0)).Submission;
        var second = (await CoverageTests.IngestAsync(services, agency, "second.csv", PerHost($"A,{Kes}", $"B,{Edge}", $"D,{Kes}"), 95)).Submission;

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

        Assert.Same(KDirective.Dashboard.HostDiffLists.None, diff);
    }
}
