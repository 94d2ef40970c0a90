using Azure.Storage.Blobs;
using KDirective.Agencies;
using KDirective.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Tests.Ingestion;

/// <summary>Helpers that act as an agency would: register, then upload into the container.</summary>
internal static class Uploads
{
    public static async Task<Agency> RegisterAsync(IServiceProvider services, string? id = null)
    {
        id ??= Tests.Storage.Pipeline.NewAgencyId();
        var agency = new Agency(id, $"Department of Testing ({id})", [$"ciso@{id}.example.gov"], [$"cio@{id}.example.gov"]);
        await services.GetRequiredService<AgencyRegistry>().UpsertAsync([agency]);
        return agency;
    }

    public static Task<BlobClient> UploadAsync(IServiceProvider services, string blobName, string content, string container = StorageNames.InventoriesContainer) =>
        UploadAsync(services, blobName, BinaryData.FromString(content), container);

    public static async Task<BlobClient> UploadAsync(IServiceProvider services, string blobName, BinaryData content, string container = StorageNames.InventoriesContainer)
    {
        var blob = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(container).GetBlobClient(blobName);
        await blob.UploadAsync(content, overwrite: true);
        return blob;
    }

    public static async Task<BlobClient> UploadFileAsync(IServiceProvider services, string blobName, string path)
    {
        var blob = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(StorageNames.InventoriesContainer).GetBlobClient(blobName);
        await blob.UploadAsync(path, overwrite: true);
        return blob;
    }

    /// <summary>The result blob the pipeline wrote for the uploader.</summary>
    public static async Task<System.Text.Json.JsonElement> ReadResultAsync(IServiceProvider services, string name)
    {
        var blob = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(StorageNames.ResultsContainer).GetBlobClient(name);
        return System.Text.Json.JsonDocument.Parse((await blob.DownloadContentAsync()).Value.Content.ToString()).RootElement.Clone();
    }

    /// <summary>
    /// <see cref="Inventory"/> followed by 64 NUL bytes: rejected whole, but only once the reader reaches the end, after
    /// findings of the rows before were stored.
    /// </summary>
    public static BinaryData InventoryWithBinaryTail(int hosts) =>
        new(System.Text.Encoding.UTF8.GetBytes(Inventory(hosts)).Concat(new byte[64]).ToArray());

    /// <summary>An inventory with <paramref name="hosts"/> hosts each running Kaspersky Endpoint Security.</summary>
    public static string Inventory(int hosts, string version = "11.1.1.126", int clean = 1)
    {
        var text = new System.Text.StringBuilder("Hostname,Publisher,Product,Version\n");
        for (var i = 0; i < hosts; i++)
        {
            text.Append($"HOST-{i:D4},AO Kaspersky Lab,Kaspersky Endpoint Security for Windows,{version}\n");
        }

        for (var i = 0; i < clean; i++)
        {
            text.Append($"CLEAN-{i:D4},Microsoft Corporation,Microsoft Edge,131.0\n");
        }

        return text.ToString();
    }
}
