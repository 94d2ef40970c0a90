using System.Text.Json;
using KDirective.Detection;
using KDirective.Directive;
using KDirective.Storage;
using KDirective.Tests.Cli;
using KDirective.Tests.Ingestion;
using KDirective.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KDirective.Tests.Directives;

/// <summary>The catalog as deployment data: a file or a blob in the data account, checked before it is used.</summary>
[Collection(IsolatedAzuriteCollection.Name)]
public sealed class CatalogSourceTests(IsolatedAzurite azurite) : IAsyncLifetime
{
    public Task InitializeAsync() => azurite.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CatalogCheck_AcceptsTheSampleCatalog_AndRejectsABadOneWithItsLineAndReason()
    {
        var bad = Paths.TempFile(".tsv");
        await File.WriteAllTextAsync(bad, "# a comment\nbrand\ttiktok\nbrnad\tcapcut\tCapCut\n");

        var good = await InspectCommandTests.Run("catalog", "check", M2313.Catalog);
        var rejected = await InspectCommandTests.Run("catalog", "check", bad);

        Assert.Equal(0, good.Code);
        Assert.Contains("valid catalog: 3 brand, 1 exclude, 7 package and 5 product rows", good.Output);
        Assert.Equal(2, rejected.Code);
        Assert.Contains($"catalog {bad} line 3: unknown kind 'brnad'", rejected.Error);
    }

    [Fact]
    public async Task AStorageCommand_WithCatalog_MatchesWithThatCatalog()
    {
        var storage = azurite.ConnectionString;
        var agencies = Paths.TempFile(".csv");
        await File.WriteAllTextAsync(agencies, "AgencyId,Name,ContactEmails,EscalationEmails\nsba,Small Business Administration,ciso@sba.example.gov,cio@sba.example.gov\n");
        Environment.SetEnvironmentVariable("Email__Outbox", Path.Combine(Path.GetTempPath(), "kdirective-tests", "cli-outbox"));
        Assert.Equal(0, (await InspectCommandTests.Run("agencies", "import", agencies, "--storage", storage)).Code);

        var (code, _, error) = await InspectCommandTests.Run("ingest", "--catalog", M2313.Catalog, "--agency", "sba", "--received-at", "2023-03-10T15:00:00Z", M2313.RawExport, "--storage", storage);
        var status = await InspectCommandTests.Run("status", "--json", "--catalog", M2313.Catalog, "--storage", storage);

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(status.Output);
        Assert.Contains("TikTok LIVE Studio", status.Output);
        Assert.DoesNotContain("Kaspersky", status.Output);
    }

    [Fact]
    public async Task ACatalogBlobInTheDataAccount_IsLoaded_ButNeverFromAContainerAgenciesWrite()
    {
        await using var services = Pipeline.Create(azurite);
        var container = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient("config");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("m-23-13.tsv").UploadAsync(M2313.Catalog, overwrite: true);
        await Uploads.UploadFileAsync(services, "sba/catalog.tsv", M2313.Catalog);
        var source = services.GetRequiredService<CatalogSource>();

        var catalog = source.Get("blob:config/m-23-13.tsv");
        var agencyWritten = Assert.Throws<FormatException>(() => source.Get("blob:inventories/sba/catalog.tsv"));
        var missing = Assert.Throws<FormatException>(() => source.Get("blob:config/none.tsv"));

        Assert.Equal("TikTok", new ProductMatcher(catalog).Match(null, "com.zhiliaoapp.musically"));
        Assert.Contains("agencies can write to inventories/", agencyWritten.Message);
        Assert.Contains("no such blob", missing.Message);
    }

    [Fact]
    public void NoCatalogSetting_MeansTheBuiltInCatalog()
    {
        using var services = Pipeline.Create(azurite);

        Assert.Null(services.GetRequiredService<IOptions<DirectiveOptions>>().Value.Catalog);
        Assert.NotNull(services.GetRequiredService<ProductMatcher>().Match("AO Kaspersky Lab", "Kaspersky Endpoint Security for Windows"));
    }

    [Fact]
    public async Task ACatalogSavedAsUtf16_FromAFileOrABlob_IsReadByItsByteOrderMark()
    {
        // Windows tools (Excel's "Unicode text", PowerShell 5's Out-File) save tab-separated text as UTF-16 with a BOM.
        var text = "brand\tzeta*\npackage\tзетагент*\tZeta Agent\n";
        var file = Paths.TempFile(".tsv");
        await File.WriteAllTextAsync(file, text, new System.Text.UnicodeEncoding(bigEndian: false, byteOrderMark: true));
        await using var services = Pipeline.Create(azurite);
        var container = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient("config");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("zeta.tsv").UploadAsync(file, overwrite: true);
        var source = services.GetRequiredService<CatalogSource>();

        foreach (var setting in new[] { file, "blob:config/zeta.tsv" })
        {
            Assert.Equal("Zeta Agent", new ProductMatcher(source.Get(setting)).Match(null, "Зетагент 2"));
        }
    }

    [Fact]
    public async Task ACatalogThatFailedToLoad_IsReadAgainOnceFixed()
    {
        await using var services = Pipeline.Create(azurite);
        var source = services.GetRequiredService<CatalogSource>();
        var file = Paths.TempFile(".tsv");
        await File.WriteAllTextAsync(file, "brnad\tzeta*\n");
        Assert.Throws<FormatException>(() => source.Get(file));

        await File.WriteAllTextAsync(file, "brand\tzeta*\n");

        Assert.Equal("Zeta", new ProductMatcher(source.Get(file)).Match("Zeta Corp", "Zeta"));
    }

    [Theory]
    [InlineData("blob:config", "expected blob:<container>/<name>")]
    [InlineData("blob:config/", "expected blob:<container>/<name>")]
    [InlineData("/no/such/catalog.tsv", "no such file")]
    public void ACatalogSettingThatNamesNothing_IsRefusedWithWhatIsWrong(string setting, string reason)
    {
        using var services = Pipeline.Create(azurite);

        var e = Assert.Throws<FormatException>(() => services.GetRequiredService<CatalogSource>().Get(setting));

        Assert.Equal($"catalog {setting}: {reason}", e.Message);
    }
}
