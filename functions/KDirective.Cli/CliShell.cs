using KDirective.Cli.Bench;

namespace KDirective.Cli;

/// <summary>
/// What both builds of <c>kdirective</c> share: the usage text, the error handling and the commands that need no
/// storage. The native build (<c>-p:Native=true</c>) runs only these and hands every other command to the full build;
/// the full build (<see cref="CliApp"/>) runs them all. Exit codes: 0 success, 1 usage or I/O error, 2 input rejected.
/// </summary>
internal static class CliShell
{
    public const int Failure = 1;

    public const string Usage = """
        usage: kdirective <command> [options]

          inspect <file> [--json] [--matches]   read an inventory file exactly as the pipeline will
          agencies import <file>                upsert agencies from AgencyId,Name,ContactEmails,EscalationEmails
          agencies list [--json]                the registered agencies
          ingest --agency <id> [--plan] [--received-at TIME] <file>
                                                upload a file as that agency and process it as the blob trigger does
          status [--as-of DATE] [--json|--csv] each agency's inventory, endpoints, products and milestones
          remind [--as-of DATE] [--dry-run] [--json]
                                                send the reminders due (as the timer does); DATE is YYYY-MM-DD, 09:00 local
          schedule [--json]                     the directive's milestones and due dates
          sweep [--json]                        complete or remove submissions stuck in processing for over an hour;
                                                recompute host diffs an inventory completed out of order made stale
          catalog check <file>                  validate a product catalog (kind<TAB>pattern<TAB>canonical product)
          serve [--port N] [--as-of DATE]      the dashboard and its API on http://127.0.0.1:5117/ (loopback only)
          bench [--ingest|--matches] [--shape narrow|wide|mecm|all] [--rows N] [--runs N] [--dir DIR]
                                                benchmark: inspect vs. a bare CsvHelper loop (--ingest: the
                                                ingestion service vs. inspect, with where its time goes;
                                                --matches: inspect --json --matches on a file whose every row matches)

        Storage commands take --storage <connection string>; the default is the InventoryStorage
        environment variable, else UseDevelopmentStorage=true (a local Azurite). Every command takes
        --catalog <file>, the product catalog to match against (default: Directive__Catalog, else the built-in one).
        """;

    /// <summary>The commands only the full build runs: they use Table Storage, SendGrid, the dashboard or bound options.</summary>
    public static readonly IReadOnlySet<string> FullCommands = new HashSet<string>(StringComparer.Ordinal)
    {
        "agencies", "ingest", "remind", "schedule", "status", "sweep", "serve",
    };

    /// <summary>
    /// Runs <paramref name="args"/>: a command that needs no storage here, any other through <paramref name="full"/>,
    /// which is given the arguments without <c>--catalog</c> (already taken into <see cref="CliCatalog.Option"/>).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string[], Task<int>> full, CancellationToken cancellationToken = default)
    {
        try
        {
            args = WithoutCatalog(args);
            return await (RunLocal(args, output, error, cancellationToken)
                ?? (args is [var command, ..] && (FullCommands.Contains(command) || command is "inspect" or "bench" or "bench-child")
                    ? full(args)
                    : throw new UsageException(args.Length == 0 ? "no command given" : $"unknown command '{args[0]}'")));
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"kdirective: {e.Message}");
            await error.WriteLineAsync(Usage);
            return Failure;
        }
        catch (CommandFailedException e)
        {
            await error.WriteLineAsync($"kdirective: {e.Message}");
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
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            await error.WriteLineAsync($"kdirective: configuration: {string.Join("; ", e.Failures)}");
            return Failure;
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"kdirective: {e.Message}");
            return Failure;
        }
        catch (Azure.RequestFailedException e)
        {
            await error.WriteLineAsync($"kdirective: storage request failed ({e.Status} {e.ErrorCode}): {FirstLine(e.Message)}");
            return Failure;
        }
        catch (AggregateException e) when (e.InnerException is System.Net.Http.HttpRequestException or Azure.RequestFailedException)
        {
            await error.WriteLineAsync($"kdirective: cannot reach storage: {FirstLine(e.InnerException!.Message)} (is Azurite running? see --storage)");
            return Failure;
        }
    }

    /// <summary>
    /// The commands that need no storage, or null when <paramref name="args"/> is not one of them: <c>inspect</c> with
    /// no catalog or a catalog file (a catalog blob needs storage), <c>catalog check</c>, <c>bench</c> without
    /// <c>--ingest</c> and its children, <c>help</c>.
    /// </summary>
    private static Task<int>? RunLocal(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) => args switch
    {
        ["inspect", .. var rest] when !CliCatalog.IsBlob => InspectCommand.RunAsync(rest, output, CliCatalog.FileMatcher, cancellationToken),
        ["catalog", .. var rest] => CatalogCommand.RunAsync(rest, output, error),
        ["bench", .. var rest] when !rest.Contains("--ingest") => BenchCommand.RunAsync(rest, output, cancellationToken),
        ["bench-child", "bare" or "inspect" or "matches", ..] => BenchChild.RunAsync(args[1..], output, cancellationToken),
        ["help" or "--help" or "-h"] => Help(output),
        _ => null,
    };

    /// <summary><c>--catalog &lt;file&gt;</c> applies to every command, so it is taken out before a command parses its own options.</summary>
    private static string[] WithoutCatalog(string[] args)
    {
        var at = Array.IndexOf(args, "--catalog");
        if (at < 0)
        {
            return args;
        }

        CliCatalog.Option = at + 1 < args.Length ? args[at + 1] : throw new UsageException("--catalog needs a value");
        return [.. args[..at], .. args[(at + 2)..]];
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static Task<int> Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return Task.FromResult(0);
    }
}
