using System.Text.Json;
using KDirective.Inventory;

namespace KDirective.Cli;

/// <summary><c>kdirective inspect &lt;file&gt; [--json] [--matches]</c>: read a file exactly as the pipeline will.</summary>
internal static class InspectCommand
{
    public const int Accepted = 0;
    public const int Rejected = 2;

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--json", "--matches" }, new HashSet<string>());
        if (parsed.Positionals is not [var path])
        {
            throw new UsageException("inspect takes exactly one file: kdirective inspect <file> [--json] [--matches]");
        }

        if (Directory.Exists(path))
        {
            throw new IOException($"{path}: is a directory, not a file");
        }

        if (!File.Exists(path))
        {
            throw new IOException($"{path}: no such file");
        }

        var matches = parsed.Has("--matches");
        await using var spool = matches ? new MatchSpool() : null;
        var report = await new InventoryReader().ReadAsync(new FileInventorySource(path), spool, keepMatches: false, cancellationToken);
        if (parsed.Has("--json"))
        {
            await WriteJsonAsync(report, spool, output);
        }
        else
        {
            InspectText.Write(report, output);
            if (spool is not null)
            {
                await foreach (var match in spool.ReadAllAsync())
                {
                    InspectText.WriteMatch(match, output);
                }
            }
        }

        return report.Accepted ? Accepted : Rejected;
    }

    /// <summary>The summary document, with the spooled matches written into it one at a time.</summary>
    private static async Task WriteJsonAsync(InventoryReport report, MatchSpool? spool, TextWriter output)
    {
        var document = InventoryJson.Serialize(report, includeMatches: false);
        if (spool is null)
        {
            await output.WriteLineAsync(document);
            return;
        }

        var end = document.LastIndexOf('}');
        await output.WriteAsync(document.AsMemory(0, end).TrimEnd());
        await output.WriteAsync(",\n  \"matches\": [");
        var first = true;
        await foreach (var match in spool.ReadAllAsync())
        {
            await output.WriteAsync(first ? "\n    " : ",\n    ");
            await output.WriteAsync(JsonSerializer.Serialize(InventoryJson.ToDto(match), InventoryJson.CompactOptions));
            first = false;
        }

        await output.WriteLineAsync(first ? "]\n}" : "\n  ]\n}");
    }
}
