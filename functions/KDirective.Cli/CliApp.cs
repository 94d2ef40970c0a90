namespace KDirective.Cli;

/// <summary>
/// The full <c>kdirective</c>: every command, the storage ones included. The published command line is the native
/// build of <see cref="CliShell"/>, which runs this build (under <c>lib/</c>) for the commands it does not carry.
/// </summary>
internal static class CliApp
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        CliShell.RunAsync(args, output, error, rest => rest switch
        {
            ["inspect", .. var more] => InspectCommand.RunAsync(more, output, CliServices.Matcher, cancellationToken),
            ["agencies", .. var more] => AgenciesCommand.RunAsync(more, output, error, cancellationToken),
            ["ingest", .. var more] => IngestCommand.RunAsync(more, output, cancellationToken),
            ["remind", .. var more] => RemindCommand.RunAsync(more, output, cancellationToken),
            ["schedule", .. var more] => ScheduleCommand.RunAsync(more, output),
            ["status", .. var more] => StatusCommand.RunAsync(more, output, cancellationToken),
            ["sweep", .. var more] => SweepCommand.RunAsync(more, output, cancellationToken),
            ["serve", .. var more] => ServeCommand.RunAsync(more, output, cancellationToken),
            ["bench", .. var more] => Bench.BenchCommand.RunAsync(more, output, cancellationToken),
            ["bench-child", "upload" or "ingest", ..] => Bench.BenchIngestChild.RunAsync(rest[1..], output, cancellationToken),
            _ => throw new UsageException($"unknown command '{string.Join(' ', rest.Take(2))}'"),
        }, cancellationToken);
}
