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

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string>(), new HashSet<string> { "--rows", "--dir" });
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

            var bare = await MeasureAsync("bare", file, cancellationToken);
            var inspect = await MeasureAsync("inspect", file, cancellationToken);
            output.WriteLine(Line(size, "bare", bare, 1.0));
            output.WriteLine(Line(size, "inspect", inspect, inspect.Seconds / bare.Seconds));
        }

        return 0;
    }

    /// <summary>One measurement in this process: prints seconds, peak bytes and rows.</summary>
    public static async Task<int> RunChildAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string>(), new HashSet<string>());
        if (parsed.Positionals is not [var mode, var file])
        {
            throw new UsageException("bench-child <bare|inspect> <file>");
        }

        var watch = Stopwatch.StartNew();
        long rows = mode == "bare" ? await BareLoopAsync(file, cancellationToken) : (await new InventoryReader().ReadAsync(new FileInventorySource(file), cancellationToken: cancellationToken)).RowsRead;
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

    private static async Task<Measurement> MeasureAsync(string mode, string file, CancellationToken cancellationToken)
    {
        Measurement? best = null;
        for (var run = 0; run < Runs; run++)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            if (!Environment.ProcessPath!.EndsWith("kdirective", StringComparison.Ordinal))
            {
                start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location); // running under 'dotnet kdirective.dll'
            }

            foreach (var a in new[] { "bench-child", mode, file })
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
