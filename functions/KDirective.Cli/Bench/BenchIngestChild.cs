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

        var (rows, laps, allocated) = await IngestAsync(file, parsed.Get("--storage"), cancellationToken);
        BenchChild.Report(output, rows, laps, allocated);
        return 0;
    }

    /// <summary>
    /// Uploads the file as the bench agency, then times the blob trigger's service on it, stage by stage, and counts
    /// the bytes the process allocated while it ran (every thread's, so the SDK's requests count too).
    /// </summary>
    private static async Task<(long Rows, IReadOnlyList<IngestionLap> Laps, long Allocated)> IngestAsync(string file, string? storage, CancellationToken cancellationToken)
    {
        await using var services = await CliServices.CreateAsync(storage, cancellationToken, s => s.AddSingleton<IngestionTimings>());
        await services.GetRequiredService<AgencyRegistry>().UpsertAsync([new Agency(Agency, "Benchmark Agency", ["bench@example.gov"], [])], cancellationToken);
        var blob = await IngestCommand.UploadAsync(services.GetRequiredService<StorageConnection>(), StorageNames.InventoriesContainer, Agency, file, cancellationToken);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob, cancellationToken: cancellationToken);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return result.Submission.IsAccepted
            ? (result.Submission.RowsRead, services.GetRequiredService<IngestionTimings>().Laps.ToList(), allocated)
            : throw new InvalidOperationException($"{file}: {result.Submission.Error}");
    }
}
