namespace KDirective.Inventory;

/// <summary>
/// Where an inventory comes from. It can be opened more than once: a file that turns out not to be UTF-8 after
/// the first 64 KiB is read again as Windows-1252 rather than held in memory.
/// </summary>
public interface IInventorySource
{
    string Name { get; }

    Task<Stream> OpenAsync(CancellationToken cancellationToken = default);
}

public sealed class FileInventorySource(string path) : IInventorySource
{
    public string Name => path;

    public Task<Stream> OpenAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
}
