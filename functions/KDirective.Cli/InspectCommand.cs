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

        if (!File.Exists(path))
        {
            throw new IOException($"{path}: no such file");
        }

        var report = await new InventoryReader(CliServices.Matcher()).ReadAsync(new FileInventorySource(path), keepMatches: parsed.Has("--matches"), cancellationToken);
        if (parsed.Has("--json"))
        {
            await output.WriteLineAsync(InventoryJson.Serialize(report, parsed.Has("--matches")));
        }
        else
        {
            InspectText.Write(report, parsed.Has("--matches"), output);
        }

        return report.Accepted ? Accepted : Rejected;
    }
}
