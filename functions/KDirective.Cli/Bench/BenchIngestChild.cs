using System.Runtime;
using KDirective.Agencies;
using KDirective.Ingestion;
using KDirective.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli.Bench;

/// <summary>
/// The two children of <c>kdirective bench --ingest</c>, each a fresh process of the full build:
/// <c>bench-child upload &lt;file&gt;</c> uploads the file as the bench agency would, and
/// <c>bench-child ingest &lt;file&gt;</c> runs the blob trigger's service on that upload, reported as
/// <see cref="BenchChild.Report"/> does, with the service's stages. The upload is a process of its own because the
/// blob trigger's worker never uploads: in one process, the upload's tier-1 recompilations (a 10M-row file is 140
/// block requests) ran while the service was timed, and its buffers counted in the service's peak.
/// </summary>
internal static class BenchIngestChild
{
    public const string Agency = "bench";

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string>(), new HashSet<string> { "--storage" });
        if (parsed.Positionals is not [var mode and ("upload" or "ingest"), var file])
        {
            throw new UsageException("bench-child <upload|ingest> <file> [--storage <connection string>]");
        }

        await using var services = await CliServices.CreateAsync(parsed.Get("--storage"), cancellationToken, s => s.AddSingleton<IngestionTimings>());
        if (mode == "upload")
        {
            await services.GetRequiredService<AgencyRegistry>().UpsertAsync([new Agency(Agency, "Benchmark Agency", ["bench@example.gov"], [])], cancellationToken);
            var uploaded = await IngestCommand.UploadAsync(services.GetRequiredService<StorageConnection>(), StorageNames.InventoriesContainer, Agency, file, cancellationToken);
            await output.WriteLineAsync($"{uploaded.BlobContainerName}/{uploaded.Name}");
            return 0;
        }

        var (rows, laps, cost) = await IngestAsync(services, file, cancellationToken);
        BenchChild.Report(output, rows, laps, cost);
        return 0;
    }

    /// <summary>
    /// Times the blob trigger's service on the upload of <paramref name="file"/>, stage by stage, and counts what the
    /// process spent while it ran besides the service's own work: the bytes allocated (every thread's, so the SDK's
    /// requests count too), and the methods the JIT compiled and the time it took, on every thread. A long run
    /// recompiles the storage SDK's hot paths at tier 1 once they pass 30 calls, which a short run never reaches.
    /// An upload already ingested fails the run: the service would only have recognised a redelivery.
    /// </summary>
    private static async Task<(long Rows, IReadOnlyList<IngestionLap> Laps, ServiceCost Cost)> IngestAsync(ServiceProvider services, string file, CancellationToken cancellationToken)
    {
        var blob = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(StorageNames.InventoriesContainer)
            .GetBlobClient($"{Agency}/{Path.GetFileName(file)}");
        var (before, methodsBefore, jitBefore) = (GC.GetTotalAllocatedBytes(precise: true), JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob, cancellationToken: cancellationToken);
        var cost = new ServiceCost(
            GC.GetTotalAllocatedBytes(precise: true) - before, JitInfo.GetCompiledMethodCount() - methodsBefore, JitInfo.GetCompilationTime() - jitBefore);
        return result switch
        {
            { AlreadyProcessed: true } => throw new CommandFailedException(
                $"{blob.BlobContainerName}/{blob.Name}: this upload was already ingested; 'bench-child upload {file}' uploads a new version"),
            { Submission.IsAccepted: false } => throw new CommandFailedException($"{file}: {result.Submission.Error}"),
            _ => (result.Submission.RowsRead, services.GetRequiredService<IngestionTimings>().Laps.ToList(), cost),
        };
    }
}
