using System.Text;
using KDirective.Inventory;

namespace KDirective.Cli;

/// <summary>
/// Keeps the matching rows of <c>inspect --matches</c>, already formatted one per line, in a temporary file until
/// the summary (which comes first in the output) is known: memory stays flat however many rows match.
/// </summary>
internal sealed class MatchSpool(Func<InventoryMatch, string> format) : IMatchSink, IAsyncDisposable
{
    private const int ChunkChars = 1 << 16;
    private readonly FileStream _file = new(
        Path.Combine(Path.GetTempPath(), $"kdirective-matches-{Guid.NewGuid():N}.txt"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    private StreamWriter? _writer;

    public long Count { get; private set; }

    public ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken)
    {
        _writer ??= new StreamWriter(_file, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        _writer.Write(format(match));
        _writer.Write('\n');
        Count++;
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes the lines in the order they were read, each followed by <paramref name="separator"/> but the last.</summary>
    public async Task CopyToAsync(TextWriter output, string prefix, string separator)
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }

        _file.Position = 0;
        using var reader = new StreamReader(_file, Encoding.UTF8, false, 1 << 16, leaveOpen: true);
        var chunk = new StringBuilder(ChunkChars + 1024);
        var first = true;
        while (await reader.ReadLineAsync() is { } line)
        {
            chunk.Append(first ? prefix : separator).Append(line);
            first = false;
            if (chunk.Length >= ChunkChars)
            {
                await output.WriteAsync(chunk);
                chunk.Clear();
            }
        }

        await output.WriteAsync(chunk);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        await _file.DisposeAsync();
    }
}
