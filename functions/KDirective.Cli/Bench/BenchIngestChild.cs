using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Azure.Storage.Blobs;
using KDirective.Agencies;
using KDirective.Ingestion;
using KDirective.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli.Bench;

/// <summary>
/// The two children of <c>kdirective bench --ingest</c>, each a fresh process of the full build:
/// <list type="bullet">
/// <item><c>bench-child upload &lt;file&gt;</c> uploads the file as the bench agency would, and a copy of it;</item>
/// <item><c>bench-child ingest &lt;file&gt;</c> runs the blob trigger's service on the upload, as a worker's first
/// blob (cold), then on the copy, as the next blob of the same worker (warm). It reports the cold run as
/// <see cref="BenchChild.Report"/> does, with its stages, then the process's time to the end of the cold run and the
/// warm run's time and peak.</item>
/// </list>
/// The upload is a process of its own because the blob trigger's worker never uploads: in one process, the upload's
/// tier-1 recompilations (a 10M-row file is 140 block requests) ran while the service was timed, and its buffers
/// counted in the service's peak.
/// </summary>
internal static class BenchIngestChild
{
    public const string Agency = "bench";

    /// <summary>The prefix of the copy that the warm run ingests.</summary>
    public const string Again = "again-";

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string>(), new HashSet<string> { "--storage" });
        if (parsed.Positionals is not [var mode and ("upload" or "ingest"), var file])
        {
            throw new UsageException("bench-child <upload|ingest> <file> [--storage <connection string>]");
        }

        await using var services = await CliServices.CreateAsync(parsed.Get("--storage"), cancellationToken, s => s.AddSingleton<IngestionTimings>());
        var container = services.GetRequiredService<StorageConnection>().Blobs.GetBlobContainerClient(StorageNames.InventoriesContainer);
        var first = container.GetBlobClient($"{Agency}/{Path.GetFileName(file)}");
        var second = container.GetBlobClient($"{Agency}/{Again}{Path.GetFileName(file)}");
        if (mode == "upload")
        {
            await services.GetRequiredService<AgencyRegistry>().UpsertAsync([new Agency(Agency, "Benchmark Agency", ["bench@example.gov"], [])], cancellationToken);
            await IngestCommand.UploadAsync(services.GetRequiredService<StorageConnection>(), StorageNames.InventoriesContainer, Agency, file, cancellationToken);
            var copy = await second.StartCopyFromUriAsync(first.Uri, cancellationToken: cancellationToken);
            await copy.WaitForCompletionAsync(cancellationToken);
            await output.WriteLineAsync($"{first.BlobContainerName}/{first.Name}\n{second.BlobContainerName}/{second.Name}");
            return 0;
        }

        var (rows, laps, cost, receivedAt) = await IngestAsync(services, first, null, cancellationToken);
        var cold = new StringWriter(CultureInfo.InvariantCulture);
        BenchChild.Report(cold, rows, laps, cost); // now, so its peak is the cold run's
        var sinceStart = services.GetRequiredService<TimeProvider>().GetUtcNow() - Process.GetCurrentProcess().StartTime.ToUniversalTime();

        // The copy is the worker's next upload, so it is received after the first: a server-side copy may carry the same
        // second, and then its name ("again-…") would order it first, and its completion would make the first's diff
        // recompute (DiffRepair), which is not the next blob's cost.
        var (_, warmLaps, _, _) = await IngestAsync(services, second, receivedAt.AddSeconds(1), cancellationToken);
        await output.WriteAsync(cold.ToString());
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cold process\t{sinceStart.TotalSeconds}\tprocess"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"warm service\t{warmLaps.Where(l => !l.IsPartOfPrevious).Sum(l => l.Elapsed.TotalSeconds)}\twarm\t{BenchChild.PeakBytes()}"));
        return 0;
    }

    /// <summary>
    /// Times the blob trigger's service on <paramref name="blob"/>, stage by stage, and counts what the process spent
    /// while it ran besides the service's own work: the bytes allocated (every thread's, so the SDK's requests count
    /// too), the methods the JIT compiled and the time it took, on every thread, and the CPU this process and every
    /// other process used meanwhile (here, Azurite on the same cores). A long run recompiles the storage
    /// SDK's hot paths at tier 1 once they pass 30 calls, which a short run never reaches. An upload already ingested
    /// fails the run: the service would only have recognised a redelivery.
    /// </summary>
    private static async Task<(long Rows, IReadOnlyList<IngestionLap> Laps, ServiceCost Cost, DateTimeOffset ReceivedAt)> IngestAsync(ServiceProvider services, BlobClient blob, DateTimeOffset? receivedAt, CancellationToken cancellationToken)
    {
        var (before, methodsBefore, jitBefore, cpuBefore) = (GC.GetTotalAllocatedBytes(precise: true), JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime(), CpuSample.Now());
        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob, receivedAt, cancellationToken);
        var cpu = CpuSample.Now();
        var cost = new ServiceCost(
            GC.GetTotalAllocatedBytes(precise: true) - before, JitInfo.GetCompiledMethodCount() - methodsBefore, JitInfo.GetCompilationTime() - jitBefore,
            cpu.Self - cpuBefore.Self, cpu.OthersSince(cpuBefore));
        return result switch
        {
            { AlreadyProcessed: true } => throw new CommandFailedException(
                $"{blob.BlobContainerName}/{blob.Name}: this upload was already ingested; 'bench-child upload' uploads a new version"),
            { Submission.IsAccepted: false } => throw new CommandFailedException($"{blob.BlobContainerName}/{blob.Name}: {result.Submission.Error}"),
            _ => (result.Submission.RowsRead, services.GetRequiredService<IngestionTimings>().Laps.ToList(), cost, result.Submission.ReceivedAt),
        };
    }
}
