using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using KDirective.Inventory;

namespace KDirective.Ingestion;

/// <summary>Streams one version of a blob: every open reads the same content, or fails if the blob changed.</summary>
internal sealed class BlobInventorySource(BlobClient blob, ETag etag) : IInventorySource
{
    public string Name => blob.Name;

    public async Task<Stream> OpenAsync(CancellationToken cancellationToken = default) =>
        await blob.OpenReadAsync(
            new BlobOpenReadOptions(allowModifications: false) { Conditions = new BlobRequestConditions { IfMatch = etag }, BufferSize = 1 << 20 },
            cancellationToken).ConfigureAwait(false);
}
