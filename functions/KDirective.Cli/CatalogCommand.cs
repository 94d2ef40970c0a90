using KDirective.Detection;

namespace KDirective.Cli;

/// <summary><c>kdirective catalog check &lt;file&gt;</c>: validate a product catalog before deploying it.</summary>
internal static class CatalogCommand
{
    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, TextWriter error)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string>(), new HashSet<string>());
        if (parsed.Positionals is not ["check", var path])
        {
            throw new UsageException("catalog check <file>");
        }

        if (!File.Exists(path))
        {
            throw new IOException($"{path}: no such file");
        }

        try
        {
            var (brands, exclusions, packages, products) = CatalogSource.LoadFile(path).Counts;
            await output.WriteLineAsync($"{path}: valid catalog: {brands} brand, {exclusions} exclude, {packages} package and {products} product rows");
            return 0;
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"kdirective: {e.Message}");
            return InspectCommand.Rejected;
        }
    }
}
