using KDirective.Tests.Cli;
using KDirective.Tests.Storage;

namespace KDirective.Tests.Ingestion;

[Collection(IsolatedAzuriteCollection.Name)]
public sealed class StatusCsvTests(IsolatedAzurite azurite) : IAsyncLifetime
{
    public Task InitializeAsync() => azurite.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task StatusCsv_WritesUploadDerivedFormulasAsText()
    {
        var storage = azurite.ConnectionString;
        var agencies = Paths.TempFile();
        await File.WriteAllTextAsync(agencies, "AgencyId,Name,ContactEmails,EscalationEmails\nfx,Formula Agency,a@fx.example.gov,\n");
        Assert.Equal(0, (await InspectCommandTests.Run("agencies", "import", agencies, "--storage", storage)).Code);
        var inventory = Paths.TempFile();
        await File.WriteAllTextAsync(inventory, "Hostname,Publisher,Product,Version\nPC-1,AO Kaspersky Lab,\"=HYPERLINK(\"\"http://x.invalid\"\") Kaspersky\",1\n");
        var ingest = await InspectCommandTests.Run("ingest", "--agency", "fx", inventory, "--storage", storage);
        Assert.True(ingest.Code == 0, ingest.Output + ingest.Error);

        var (code, csv, _) = await InspectCommandTests.Run("status", "--csv", "--storage", storage);

        Assert.Equal(0, code);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Agency,Name,InventoryReceived,EndpointsAffected,Products,Milestones,RemovalCompleted,Coverage,Hosts", lines[0]);
        using var reader = CsvHelper.CsvReader.Create(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), new CsvHelper.CsvReaderOptions());
        Assert.True(reader.Read());
        Assert.Equal(("fx", "Formula Agency"), (reader.GetString(0), reader.GetString(1)));
        Assert.Equal("'=HYPERLINK(\"http://x.invalid\") Kaspersky (1)", reader.GetString(4));
    }
}
