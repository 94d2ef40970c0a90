namespace KDirective.Storage;

/// <summary>Creates the containers and tables the app uses, if they are missing. Idempotent.</summary>
public sealed class StorageInitializer(StorageConnection storage)
{
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var container in StorageNames.Containers)
        {
            await storage.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var table in StorageNames.Tables)
        {
            await storage.Tables.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        }
    }
}
