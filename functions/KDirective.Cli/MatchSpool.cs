using System.Text.Json;
using KDirective.Inventory;

namespace KDirective.Cli;

/// <summary>
/// Keeps the matching rows of <c>inspect --matches</c> in a temporary file, one JSON line each, until the summary
/// (which comes first in the output) is known: memory stays flat however many rows match.
/// </summary>
internal sealed class MatchSpool : IMatchSink, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Compact = InventoryJson.CompactOptions;
    private readonly FileStream _file = new(
        Path.Combine(Path.GetTempPath(), $"kdirective-matches-{Guid.NewGuid():N}.jsonl"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    private readonly StreamWriter _writer;

    public MatchSpool() => _writer = new StreamWriter(_file, leaveOpen: true);

    public ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken)
    {
        _writer.WriteLine(JsonSerializer.Serialize(match, Compact));
        return ValueTask.CompletedTask;
    }

    public ValueTask ResetAsync(CancellationToken cancellationToken)
    {
        _writer.Flush();
        _file.SetLength(0);
        return ValueTask.CompletedTask;
    }

    /// <summary>The rows in the order they were read.</summary>
    public async IAsyncEnumerable<InventoryMatch> ReadAllAsync()
    {
        await _writer.FlushAsync();
        _file.Position = 0;
        using var reader = new StreamReader(_file, leaveOpen: true);
        while (await reader.ReadLineAsync() is { } line)
        {
            yield return JsonSerializer.Deserialize<InventoryMatch>(line, Compact)!;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _file.DisposeAsync();
    }
}
