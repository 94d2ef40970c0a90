using KDirective.Storage;
using Microsoft.Extensions.Configuration;

namespace KDirective.Tests.Infra;

/// <summary>
/// The storage connection the library builds from exactly the settings the Bicep writes for the blob triggers'
/// connection: if the code read another name, it would fall back to local development storage in Azure.
/// </summary>
public class StorageSettingTests
{
    [Fact]
    public void LibraryConnection_IsBuiltFromTheSettingsTheBicepWritesForTheTriggers()
    {
        var connection = ConfigurationContractTests.FunctionMetadataKeys().First(k => k.EndsWith("__blobServiceUri", StringComparison.Ordinal))[..^"__blobServiceUri".Length];
        var bicep = AppSettings.Literal();
        var values = new Dictionary<string, string?>
        {
            [$"{connection}:blobServiceUri"] = "https://kdtest.blob.core.windows.net",
            [$"{connection}:tableServiceUri"] = "https://kdtest.table.core.windows.net",
            [$"{connection}:credential"] = bicep[$"{connection}__credential"],
            [$"{connection}:clientId"] = Guid.NewGuid().ToString(),
        };
        Assert.All(values.Keys, key => Assert.Contains(key.Replace(":", "__", StringComparison.Ordinal), bicep.Keys));

        var storage = StorageConnection.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

        Assert.Equal(new Uri("https://kdtest.blob.core.windows.net/"), storage.Blobs.Uri);
        Assert.Equal(new Uri("https://kdtest.table.core.windows.net/"), storage.Tables.Uri);
    }
}
