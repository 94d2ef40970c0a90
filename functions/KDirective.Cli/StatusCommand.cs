using KDirective.Dashboard;
using KDirective.Directive;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli;

/// <summary><c>kdirective status [--json | --csv]</c>: one line per registered agency, streamed.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--json", "--csv" }, new HashSet<string> { "--storage", "--as-of" });
        if (parsed.Positionals.Count != 0)
        {
            throw new UsageException("status [--as-of YYYY-MM-DD] [--json | --csv]");
        }

        await using var services = await CliServices.CreateAsync(parsed.Get("--storage"), cancellationToken);
        var evaluator = services.GetRequiredService<MilestoneEvaluator>();
        var asOf = AsOf.Parse(parsed.Get("--as-of"), evaluator.Calendar) ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var rows = services.GetRequiredService<StatusReport>().StreamAsync(asOf, cancellationToken);
        if (parsed.Has("--json"))
        {
            await StatusJson.WriteAsync(rows, output, cancellationToken);
            return 0;
        }

        if (parsed.Has("--csv"))
        {
            await StatusCsv.WriteAsync(rows, output, cancellationToken);
            return 0;
        }

        await output.WriteLineAsync($"as of {asOf:yyyy-MM-dd HH:mm} UTC");
        await output.WriteLineAsync($"{"agency",-10} {"name",-42} {"inventory",-12} {"affected",8}  products");
        await foreach (var r in rows)
        {
            var products = r.Products.Count == 0 ? (r.InventoryReceivedAt is null ? "-" : "none found")
                : string.Join("; ", r.Products.Select(p => $"{p.Product} ({p.Endpoints})"));
            await output.WriteLineAsync(TerminalSafe($"{r.Agency,-10} {Truncate(r.Name, 42),-42} {r.InventoryReceivedAt?.ToString("yyyy-MM-dd") ?? "MISSING",-12} {r.EndpointsAffected?.ToString() ?? "-",8}  {products}"));
            var milestones = r.Milestones.Select(m => $"{m.Milestone}{(m.Period > 0 ? $" {m.Period}" : string.Empty)} due {m.DueDate:yyyy-MM-dd}: {m.Describe}");
            await output.WriteLineAsync($"{string.Empty,-10} {string.Join(" | ", milestones)}");
            if (r.HostsLine() is { } hosts)
            {
                await output.WriteLineAsync(TerminalSafe($"{string.Empty,-10} {hosts}"));
            }
        }

        return 0;
    }

    /// <summary>Names come from uploads and the registry: no control characters reach the terminal.</summary>
    private static string TerminalSafe(string line) => Storage.LogSafe.Of(line, int.MaxValue);

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
