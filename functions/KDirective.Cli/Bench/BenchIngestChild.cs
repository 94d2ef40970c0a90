using System.Runtime;
using KDirective.Agencies;
using KDirective.Ingestion;
using KDirective.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli.Bench;

/// <summary>
/// <c>kdirective bench-child ingest &lt;file&gt; --storage &lt;connection string&gt;</c>: one ingestion in a fresh process,
/// reported as <see cref="BenchChild.Report"/> does, with the service's stages.
/// </summary>
internal static class BenchIngestChild
{
    public const string Agency = "bench";

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string>(), new HashSet<string> { "--storage" });
        if (parsed.Positionals is not [var file])
        {
            throw new UsageException("bench-child ingest <file> [--storage <connection string>]");
        }

        var (rows, laps, cost) = await IngestAsync(file, parsed.Get("--storage"), cancellationToken);
        BenchChild.Report(output, rows, laps, cost);
        return 0;
    }

    /// <summary>
    /// Uploads the file as the bench agency, then times the blob trigger's service on it, stage by stage, and counts
    /// what the process spent while it ran besides the service's own work: the bytes allocated (every thread's, so the
    /// SDK's requests count too), and the methods the JIT compiled and the time it took, on every thread. A long run
    /// recompiles the storage SDK's hot paths at tier 1 once they pass 30 calls, which a short run never reaches.
    /// </summary>
    private static async Task<(long Rows, IReadOnlyList<IngestionLap> Laps, ServiceCost Cost)> IngestAsync(string file, string? storage, CancellationToken cancellationToken)
    {
        await using var services = await CliServices.CreateAsync(storage, cancellationToken, s => s.AddSingleton<IngestionTimings>());
        await services.GetRequiredService<AgencyRegistry>().UpsertAsync([new Agency(Agency, "Benchmark Agency", ["bench@example.gov"], [])], cancellationToken);
        var blob = await IngestCommand.UploadAsync(services.GetRequiredService<StorageConnection>(), StorageNames.InventoriesContainer, Agency, file, cancellationToken);
        var (before, methodsBefore, jitBefore) = (GC.GetTotalAllocatedBytes(precise: true), JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob, cancellationToken: cancellationToken);
        var cost = new ServiceCost(
            GC.GetTotalAllocatedBytes(precise: true) - before, JitInfo.GetCompiledMethodCount() - methodsBefore, JitInfo.GetCompilationTime() - jitBefore);
        return result.Submission.IsAccepted
            ? (result.Submission.RowsRead, services.GetRequiredService<IngestionTimings>().Laps.ToList(), cost)
            : throw new InvalidOperationException($"{file}: {result.Submission.Error}");
    }
}
