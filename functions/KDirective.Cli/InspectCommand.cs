using KDirective.Inventory;

namespace KDirective.Cli;

/// <summary><c>kdirective inspect &lt;file&gt; [--json] [--matches]</c>: read a file exactly as the pipeline will.</summary>
internal static class InspectCommand
{
    public const int Accepted = 0;
    public const int Rejected = 2;

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, Func<Detection.ProductMatcher> matcher, CancellationToken cancellationToken)
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

        var json = parsed.Has("--json");
        await using var spool = !parsed.Has("--matches") ? null
            : json ? new MatchSpool(InventoryJsonWriter.SerializeMatch)
            : new MatchSpool(InspectText.FormatMatch);
        var report = await new InventoryReader(matcher()).ReadAsync(new FileInventorySource(path), spool, keepMatches: false, cancellationToken);
        if (json)
        {
            await WriteJsonAsync(report, spool, output);
        }
        else
        {
            InspectText.Write(report, output);
            if (spool is { Count: > 0 })
            {
                await spool.CopyToAsync(output, string.Empty, "\n");
                await output.WriteLineAsync();
            }
        }

        return report.Accepted ? Accepted : Rejected;
    }

    /// <summary>The summary document, with the spooled matches written into it one at a time.</summary>
    private static async Task WriteJsonAsync(InventoryReport report, MatchSpool? spool, TextWriter output)
    {
        var document = InventoryJsonWriter.Serialize(report);
        if (spool is null)
        {
            await output.WriteLineAsync(document);
            return;
        }

        var end = document.LastIndexOf('}');
        await output.WriteAsync(document.AsMemory(0, end).TrimEnd());
        await output.WriteAsync(",\n  \"matches\": [");
        await spool.CopyToAsync(output, "\n    ", ",\n    ");
        await output.WriteLineAsync(spool.Count == 0 ? "]\n}" : "\n  ]\n}");
    }
}
