using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Cli;

/// <summary>The README's exit codes for <c>kdirective ingest</c>: 0 accepted, 2 input rejected, 1 usage.</summary>
[Collection(AzuriteCollection.Name)]
public class IngestExitCodeTests(AzuriteFixture azurite)
{
    private async Task<string> WriteAsync(string content)
    {
        var path = Paths.TempFile();
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    [Fact]
    public async Task Ingest_AcceptedFile_ExitsZero_ARejectedFileExitsTwo()
    {
        await using var services = Pipeline.Create(azurite);
        var agency = await Uploads.RegisterAsync(services);

        var accepted = await InspectCommandTests.Run("ingest", "--agency", agency.Id, await WriteAsync(Uploads.Inventory(2)), "--storage", azurite.ConnectionString);
        var rejected = await InspectCommandTests.Run("ingest", "--agency", agency.Id, await WriteAsync("Machine,App\nPC,Kaspersky\n"), "--storage", azurite.ConnectionString);

        Assert.True(accepted.Code == 0, accepted.Output + accepted.Error);
        Assert.Equal(2, rejected.Code);
        Assert.Contains(": rejected (", rejected.Output);
        Assert.Contains("no known inventory format", rejected.Output);
    }

    [Fact]
    public async Task Ingest_WellFormedButUnregisteredAgencyId_IsRejectedWithExitTwo()
    {
        var unknown = Pipeline.NewAgencyId("nobody");

        var (code, output, _) = await InspectCommandTests.Run("ingest", "--agency", unknown, await WriteAsync(Uploads.Inventory(2)), "--storage", azurite.ConnectionString);

        Assert.Equal(2, code);
        Assert.Contains("not a registered agency", output);
    }
}
