namespace KDirective.Cli;

/// <summary>Dispatches <c>kdirective &lt;command&gt;</c>. Exit codes: 0 success, 1 usage or I/O error, 2 input rejected.</summary>
internal static class CliApp
{
    public const int Failure = 1;

    private const string Usage = """
        usage: kdirective <command> [options]

          inspect <file> [--json] [--matches]   read an inventory file exactly as the pipeline will
          bench [--rows N] [--dir DIR]          reader benchmark: inspect vs. a bare CsvHelper loop
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        try
        {
            return args switch
            {
                ["inspect", .. var rest] => await InspectCommand.RunAsync(rest, output, cancellationToken),
                ["bench", .. var rest] => await BenchCommand.RunAsync(rest, output, cancellationToken),
                ["bench-child", .. var rest] => await BenchCommand.RunChildAsync(rest, output, cancellationToken),
                ["help" or "--help" or "-h"] => Help(output),
                _ => throw new UsageException(args.Length == 0 ? "no command given" : $"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"kdirective: {e.Message}");
            await error.WriteLineAsync(Usage);
            return Failure;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"kdirective: {e.Message}");
            return Failure;
        }
        catch (UnauthorizedAccessException e)
        {
            await error.WriteLineAsync($"kdirective: {e.Message}");
            return Failure;
        }
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return 0;
    }
}
