using System.Text;
using KDirective.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

/// <summary>Findings are stored while the file streams; these are the cases where what was stored must change.</summary>
[Collection(AzuriteCollection.Name)]
public class FindingWriterTests(AzuriteFixture azurite)
{
    static FindingWriterTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static async Task<IReadOnlyList<FindingEntity>> FindingsOf(IServiceProvider services, IngestionResult result) =>
        await services.GetRequiredService<FindingStore>().ListAsync(result.Submission.PartitionKey, result.Submission.SubmissionId);

    [Fact]
    public async Task FileRejectedWholeAfterBatchesWereStored_LeavesNoFindings()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/binary-tail.csv", Uploads.InventoryWithBinaryTail(1500));

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob);

        Assert.Equal(SubmissionOutcomes.Rejected, result.Submission.Outcome);
        Assert.Contains("NUL bytes", result.Submission.Error);
        Assert.Empty(await FindingsOf(services, result));
        Assert.Null(await services.GetRequiredService<StatusStore>().FindAsync(agency.Id));
    }

    [Fact]
    public async Task StrayWindows1252RowAfter64KiB_IsDecodedAloneAndTheFileIsReadOnce()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var text = new StringBuilder("Hostname,Publisher,Product,Version\r\n");
        text.Append("CAFÃ©-0001,Kaspersky Lab,Kaspersky Anti-Virus,15\r\n"); // valid UTF-8 as bytes: the record stays UTF-8 (é)
        for (var i = 0; i < 150; i++)
        {
            text.Append($"HOST-{i:D4},Kaspersky Lab,Kaspersky Anti-Virus,15\r\n");
        }

        for (var i = 0; text.Length < 100_000; i++)
        {
            text.Append($"PC-{i},Microsoft,Edge,1\r\n");
        }

        text.Append("Zoë-PC,Kaspersky Lab,Kaspersky Anti-Virus,15\r\n"); // 0xEB alone: not UTF-8
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/cp1252.csv", new BinaryData(Encoding.GetEncoding(1252).GetBytes(text.ToString())));

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob);

        Assert.Equal(("utf-8+windows-1252", SubmissionOutcomes.Accepted), (result.Submission.Encoding, result.Submission.Outcome));
        var hosts = (await FindingsOf(services, result)).Select(f => f.Hostname).ToHashSet();
        Assert.Equal(152, hosts.Count);
        Assert.Contains("CAFé-0001", hosts); // each record decoded on its own: valid UTF-8 stays UTF-8
        Assert.Contains("Zoë-PC", hosts);
        Assert.Equal(152, result.Submission.FindingRows);
    }

    [Fact]
    public async Task AggregatedRowsOfTheSameProductAndVersion_AreSummed()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);
        var blob = await Uploads.UploadAsync(services, $"{agency.Id}/intune.csv",
            "displayName,version,publisher,deviceCount,platform\n" +
            "Kaspersky Endpoint Security for Windows,11.11,AO Kaspersky Lab,30,Windows\n" +
            "Kaspersky Endpoint Security for Windows,11.11,AO Kaspersky Lab,7,Windows\n" +
            "Kaspersky Endpoint Security for Windows,12.3,AO Kaspersky Lab,5,Windows\n");

        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob);

        var findings = await FindingsOf(services, result);
        Assert.Equal([("11.11", 37L), ("12.3", 5L)], findings.Select(f => (f.Version!, f.Endpoints)).Order());
        Assert.All(findings, f => Assert.Null(f.Hostname));
    }
}
