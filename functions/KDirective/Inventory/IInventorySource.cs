namespace KDirective.Inventory;

/// <summary>Where an inventory comes from. The reader opens it once and reads it from start to end.</summary>
public interface IInventorySource
{
    string Name { get; }

    Task<Stream> OpenAsync(CancellationToken cancellationToken = default);
}

/// <summary>A file, a pipe or a FIFO: read once, never seeked.</summary>
public sealed class FileInventorySource(string path) : IInventorySource
{
    public string Name => path;

    // Synchronous and unbuffered: the CSV reader reads large blocks itself, and a local file has no truly
    // asynchronous read on Linux (an "async" FileStream hands every read to the thread pool, a cost per block).
    public Task<Stream> OpenAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: false));
}
