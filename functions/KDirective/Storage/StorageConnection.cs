using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace KDirective.Storage;

/// <summary>
/// Builds the storage clients from one connection setting, the way the Functions host reads it: either a
/// connection string (<c>InventoryStorage</c>, local runs and Azurite) or identity-based service URIs
/// (<c>InventoryStorage__blobServiceUri</c>, <c>__tableServiceUri</c>, <c>__credential</c>, <c>__clientId</c>).
/// No account key is ever needed in Azure.
/// </summary>
public sealed record StorageConnection(BlobServiceClient Blobs, TableServiceClient Tables)
{
    public const string SettingName = "InventoryStorage";
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public static StorageConnection FromConfiguration(IConfiguration configuration, StorageClientSettings? settings = null)
    {
        var connectionString = configuration[SettingName];
        var section = configuration.GetSection(SettingName);
        var blobUri = section["blobServiceUri"];
        if (string.IsNullOrWhiteSpace(connectionString) && !string.IsNullOrWhiteSpace(blobUri))
        {
            var tableUri = section["tableServiceUri"]
                ?? throw new InvalidOperationException($"{SettingName}__tableServiceUri must be set alongside {SettingName}__blobServiceUri.");
            var credential = Credential(section["credential"], section["clientId"]);
            return new StorageConnection(
                new BlobServiceClient(new Uri(blobUri), credential, settings?.Blob()),
                new TableServiceClient(new Uri(tableUri), credential, settings?.Table()));
        }

        return FromConnectionString(string.IsNullOrWhiteSpace(connectionString) ? DevelopmentStorage : connectionString, settings);
    }

    public static StorageConnection FromConnectionString(string connectionString, StorageClientSettings? settings = null) => new(
        new BlobServiceClient(connectionString, settings?.Blob()),
        new TableServiceClient(connectionString, settings?.Table()));

    private static TokenCredential Credential(string? kind, string? clientId) =>
        string.Equals(kind, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}

/// <summary>Client options shared by every storage client: extra pipeline policies (tests inject faults here).</summary>
public sealed class StorageClientSettings
{
    public List<Azure.Core.Pipeline.HttpPipelinePolicy> Policies { get; } = [];

    internal BlobClientOptions Blob()
    {
        var options = new BlobClientOptions();
        Policies.ForEach(p => options.AddPolicy(p, HttpPipelinePosition.PerCall));
        return options;
    }

    internal TableClientOptions Table()
    {
        var options = new TableClientOptions();
        Policies.ForEach(p => options.AddPolicy(p, HttpPipelinePosition.PerCall));
        return options;
    }
}
