using System.Text.Json;
using KDirective.Ingestion;
using KDirective.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli;

/// <summary><c>kdirective sweep [--json]</c>: the stuck-submission sweep the timer runs, once.</summary>
internal static class SweepCommand
{
    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--json" }, new HashSet<string> { "--storage" });
        if (parsed.Positionals.Count != 0)
        {
            throw new UsageException("sweep [--json]");
        }

        await using var services = await CliServices.CreateAsync(parsed.Get("--storage"), cancellationToken);
        var result = await services.GetRequiredService<SubmissionSweeper>().RunAsync(cancellationToken);
        if (parsed.Has("--json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { completed = result.Completed, removed = result.Removed, failed = result.Failed, recomputed = result.Recomputed, checksFailed = result.ChecksFailed }, InventoryJson.Options));
        }
        else
        {
            foreach (var (verb, list) in new[] { ("completed", result.Completed), ("removed", result.Removed), ("FAILED (next sweep retries)", result.Failed) })
            {
                foreach (var s in list)
                {
                    await output.WriteLineAsync($"{verb}: {s.Agency} {s.BlobName} (submission {s.SubmissionId}, started {s.StartedAt:yyyy-MM-dd HH:mm} UTC)");
                }
            }

            foreach (var r in result.Recomputed)
            {
                await output.WriteLineAsync($"diff recomputed: {r.Agency} (submission {r.SubmissionId})");
            }

            foreach (var agency in result.ChecksFailed)
            {
                await output.WriteLineAsync($"diff check FAILED (next sweep retries): {agency}");
            }

            await output.WriteLineAsync($"{result.Completed.Count} completed, {result.Removed.Count} removed, {result.Failed.Count} failed, {result.Recomputed.Count} diffs recomputed");
        }

        return result.Failed.Count == 0 && result.ChecksFailed.Count == 0 ? 0 : CliShell.Failure;
    }
}
