using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using KDirective.Inventory;

namespace KDirective.Cli;

/// <summary>
/// <c>kdirective bench</c>: the reader benchmark. Each measurement runs in a fresh child process, so peak memory
/// (VmHWM) belongs to that measurement alone; the fastest of several runs is reported.
/// </summary>
internal static class BenchCommand
{
    private const int Runs = 3;

    // kdirective bench [--ingest] [--rows N] [--dir DIR] [--storage CS]: --ingest measures upload + ingestion
    // into storage (Azurite locally) instead of inspect.

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--ingest" }, new HashSet<string> { "--rows", "--dir", "--storage" });
        var ingest = parsed.Has("--ingest");
        var storage = parsed.Get("--storage") ?? Environment.GetEnvironmentVariable(KDirective.Storage.StorageConnection.SettingName) ?? KDirective.Storage.StorageConnection.DevelopmentStorage;
        var rows = int.Parse(parsed.Get("--rows") ?? "1000000", CultureInfo.InvariantCulture);
        var dir = parsed.Get("--dir") ?? Path.Combine(Path.GetTempPath(), "kdirective-bench");
        Directory.CreateDirectory(dir);

        output.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        output.WriteLine("rows       case     best s    rows/s      peak MiB   ratio");
        foreach (var size in new[] { rows / 10, rows })
        {
            var file = Path.Combine(dir, $"inventory-{size}.csv");
            if (!File.Exists(file))
            {
                BenchData.Write(file, size);
            }

            var bare = await MeasureAsync("bare", file, storage, cancellationToken);
            if (ingest)
            {
                var ingested = await MeasureAsync("ingest", file, storage, cancellationToken);
                output.WriteLine(Line(size, "bare", bare, 1.0));
                output.WriteLine(Line(size, "ingest", ingested, ingested.Seconds / bare.Seconds));
                continue;
            }

            var inspect = await MeasureAsync("inspect", file, storage, cancellationToken);
            output.WriteLine(Line(size, "bare", bare, 1.0));
            output.WriteLine(Line(size, "inspect", inspect, inspect.Seconds / bare.Seconds));
        }

        return 0;
    }

    /// <summary>One measurement in this process: prints seconds, peak bytes and rows.</summary>
    public static async Task<int> RunChildAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string>(), new HashSet<string> { "--storage" });
        if (parsed.Positionals is not [var mode, var file])
        {
            throw new UsageException("bench-child <bare|inspect|ingest> <file> [--storage <connection string>]");
        }

        var watch = Stopwatch.StartNew();
        long rows = mode switch
        {
            "bare" => await BareLoopAsync(file, cancellationToken),
            "ingest" => await IngestAsync(file, parsed.Get("--storage"), cancellationToken),
            _ => (await new InventoryReader().ReadAsync(new FileInventorySource(file), cancellationToken: cancellationToken)).RowsRead,
        };
        watch.Stop();
        output.WriteLine(FormattableString.Invariant($"{watch.Elapsed.TotalSeconds} {PeakBytes()} {rows}"));
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

    /// <summary>The whole pipeline: upload to storage, then the blob trigger's ingestion service.</summary>
    private static async Task<long> IngestAsync(string file, string? storage, CancellationToken cancellationToken)
    {
        using var quiet = new StringWriter();
        await AgenciesSetup(storage, cancellationToken);
        var code = await IngestCommand.RunAsync(["--agency", "bench", file, .. storage is null ? Array.Empty<string>() : ["--storage", storage]], quiet, cancellationToken);
        return code == 0 ? long.Parse(quiet.ToString().Split(' ')[2], CultureInfo.InvariantCulture) : throw new InvalidOperationException(quiet.ToString());
    }

    private static async Task AgenciesSetup(string? storage, CancellationToken cancellationToken)
    {
        await using var services = await CliServices.CreateAsync(storage, cancellationToken);
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<KDirective.Agencies.AgencyRegistry>(services)
            .UpsertAsync([new KDirective.Agencies.Agency("bench", "Benchmark Agency", ["bench@example.gov"], [])], cancellationToken);
    }

    private static async Task<Measurement> MeasureAsync(string mode, string file, string storage, CancellationToken cancellationToken)
    {
        Measurement? best = null;
        for (var run = 0; run < Runs; run++)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            if (!Environment.ProcessPath!.EndsWith("kdirective", StringComparison.Ordinal))
            {
                start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location); // running under 'dotnet kdirective.dll'
            }

            foreach (var a in new[] { "bench-child", mode, file, "--storage", storage })
            {
                start.ArgumentList.Add(a);
            }

            using var child = Process.Start(start)!;
            var text = await child.StandardOutput.ReadToEndAsync(cancellationToken);
            await child.WaitForExitAsync(cancellationToken);
            var parts = text.Trim().Split(' ');
            var m = new Measurement(double.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
            best = best is null || m.Seconds < best.Seconds ? m with { PeakBytes = Math.Max(m.PeakBytes, best?.PeakBytes ?? 0) } : best with { PeakBytes = Math.Max(m.PeakBytes, best.PeakBytes) };
        }

        return best!;
    }

    private static string Line(int size, string mode, Measurement m, double ratio) => string.Create(CultureInfo.InvariantCulture,
        $"{size,-10} {mode,-8} {m.Seconds,6:F2}   {m.Rows / m.Seconds,10:N0}   {m.PeakBytes / 1048576.0,8:F1}   {ratio:F2}x");

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

    private sealed record Measurement(double Seconds, long PeakBytes, long Rows);
}
