using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using KDirective.Agencies;
using KDirective.Ingestion;
using KDirective.Inventory;
using KDirective.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KDirective.Cli.Bench;

/// <summary>
/// <c>kdirective bench-child &lt;bare|inspect|ingest&gt; &lt;file&gt;</c>: one measurement in a fresh process. Prints
/// "peak-bytes rows", then for ingestion one "stage TAB seconds TAB lap|part" line per stage of the service.
/// </summary>
internal static class BenchChild
{
    public const string Agency = "bench";

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string>(), new HashSet<string> { "--storage" });
        if (parsed.Positionals is not [var mode, var file])
        {
            throw new UsageException("bench-child <bare|inspect|ingest> <file> [--storage <connection string>]");
        }

        var (rows, laps) = mode switch
        {
            "bare" => (await BareLoopAsync(file, cancellationToken), []),
            "inspect" => (await InspectAsync(file, cancellationToken), []),
            "ingest" => await IngestAsync(file, parsed.Get("--storage"), cancellationToken),
            _ => throw new UsageException($"unknown bench mode '{mode}'"),
        };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{PeakBytes()} {rows}"));
        foreach (var lap in laps)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lap.Stage}\t{lap.Elapsed.TotalSeconds}\t{(lap.IsPartOfPrevious ? "part" : "lap")}"));
        }

        return 0;
    }

    /// <summary>The baseline: CsvHelper reads the file and every field is materialized as a string, nothing else.</summary>
    private static async Task<long> BareLoopAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        await using var csv = CsvReader.Create(stream, new CsvReaderOptions(), leaveOpen: false);
        long rows = 0, chars = 0;
        while (await csv.ReadAsync(cancellationToken))
        {
            rows++;
            for (var i = 0; i < csv.FieldCount; i++)
            {
                chars += csv.GetString(i).Length;
            }
        }

        return chars >= 0 ? rows : -1;
    }

    /// <summary>What <c>kdirective inspect --json</c> does, the JSON written nowhere.</summary>
    private static async Task<long> InspectAsync(string file, CancellationToken cancellationToken)
    {
        var report = await new InventoryReader().ReadAsync(new FileInventorySource(file), cancellationToken: cancellationToken);
        await TextWriter.Null.WriteLineAsync(InventoryJsonWriter.Serialize(report));
        return report.Accepted ? report.RowsRead : throw new InvalidOperationException($"{file}: {report.Error}");
    }

    /// <summary>Uploads the file as the bench agency, then times the blob trigger's service on it, stage by stage.</summary>
    private static async Task<(long Rows, IReadOnlyList<IngestionLap> Laps)> IngestAsync(string file, string? storage, CancellationToken cancellationToken)
    {
        await using var services = await CliServices.CreateAsync(storage, cancellationToken, s => s.AddSingleton<IngestionTimings>());
        await services.GetRequiredService<AgencyRegistry>().UpsertAsync([new Agency(Agency, "Benchmark Agency", ["bench@example.gov"], [])], cancellationToken);
        var blob = await IngestCommand.UploadAsync(services.GetRequiredService<StorageConnection>(), StorageNames.InventoriesContainer, Agency, file, cancellationToken);
        var result = await services.GetRequiredService<IngestionService>().IngestAsync(blob, cancellationToken: cancellationToken);
        return result.Submission.IsAccepted
            ? (result.Submission.RowsRead, services.GetRequiredService<IngestionTimings>().Laps.ToList())
            : throw new InvalidOperationException($"{file}: {result.Submission.Error}");
    }

    /// <summary>Peak resident memory of this process (VmHWM on Linux).</summary>
    private static long PeakBytes()
    {
        const string key = "VmHWM:";
        if (File.Exists("/proc/self/status"))
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
