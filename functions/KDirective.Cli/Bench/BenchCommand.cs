using System.Globalization;
using System.Runtime.InteropServices;

namespace KDirective.Cli.Bench;

/// <summary>
/// <c>kdirective bench</c>: <c>inspect</c> (or, with <c>--ingest</c>, the ingestion service) against a bare CsvHelper
/// loop, per export shape. Runs alternate between the cases, each in a fresh process, so start-up counts and peak
/// memory (VmHWM) belongs to one run; the table shows the median time and the highest peak of the runs. With
/// <c>--matches</c>, the file has a Kaspersky product on every row and the second case is <c>inspect --json --matches</c>:
/// its memory must stay flat however many rows match.
/// </summary>
internal static class BenchCommand
{
    private const int StartupRows = 10;

    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string> { "--ingest", "--matches" }, new HashSet<string> { "--rows", "--runs", "--shape", "--dir", "--storage" });
        var ingest = parsed.Has("--ingest");
        var matching = parsed.Has("--matches");
        if (ingest && matching)
        {
            throw new UsageException("--ingest and --matches are separate benchmarks: give one");
        }

        var storage = parsed.Get("--storage") ?? Environment.GetEnvironmentVariable(KDirective.Storage.StorageConnection.SettingName) ?? KDirective.Storage.StorageConnection.DevelopmentStorage;
        var rows = Positive(parsed.Get("--rows") ?? "1000000", "--rows");
        var runs = (int)Positive(parsed.Get("--runs") ?? "7", "--runs");
        var shape = parsed.Get("--shape") ?? "all";
        var shapes = shape == "all" ? BenchData.Shapes : BenchData.Shapes.Contains(shape) ? [shape] : throw new UsageException($"unknown shape '{shape}' (narrow, wide, mecm or all)");
        var dir = parsed.Get("--dir") ?? Path.Combine(Path.GetTempPath(), "kdirective-bench");
        Directory.CreateDirectory(dir);

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; median of {runs} runs"));
        await output.WriteLineAsync("shape    rows           MB  case       median s        rows/s   peak MiB   ratio");
        var cases = ingest ? new[] { "inspect", "ingest" } : matching ? ["bare", "matches"] : ["bare", "inspect"];
        if (!ingest && !matching)
        {
            await MeasureShapeAsync("narrow", StartupRows, cases, runs, dir, storage, output, cancellationToken); // start-up: before the first row
        }

        foreach (var each in shapes)
        {
            await MeasureShapeAsync(each, rows, cases, runs, dir, storage, output, cancellationToken, matching);
        }

        return 0;
    }

    private static async Task MeasureShapeAsync(string shape, long rows, string[] cases, int runs, string dir, string storage, TextWriter output, CancellationToken cancellationToken, bool matching = false)
    {
        var file = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"{shape}-{rows}{(matching ? "-matching" : string.Empty)}.csv"));
        if (!File.Exists(file))
        {
            BenchData.Write(file, shape, rows, matching);
        }

        var results = cases.ToDictionary(c => c, _ => new List<BenchRun>());
        for (var run = 0; run < runs; run++)
        {
            foreach (var mode in cases)
            {
                results[mode].Add(await BenchRun.MeasureAsync(mode, file, storage, cancellationToken));
            }
        }

        var megabytes = new FileInfo(file).Length / 1e6;
        var baseline = Median(results[cases[0]], r => r.Seconds);
        foreach (var mode in cases)
        {
            var seconds = Median(results[mode], r => r.Seconds);
            await output.WriteLineAsync(Line(shape, rows, megabytes, mode, seconds, results[mode].Max(r => r.PeakBytes), seconds / baseline));
        }

        if (cases.Contains("ingest"))
        {
            await WriteIngestionAsync(shape, rows, megabytes, results["ingest"], baseline, Median(results["inspect"], r => r.CpuSeconds), output);
        }
    }

    /// <summary>
    /// The cold service's own time (upload and start-up excluded) of the median run, and where it went; then the warm
    /// run's median, the same worker's next blob.
    /// </summary>
    /// <param name="inspectCpu">The CPU of the median <c>inspect</c> process, all of it.</param>
    private static async Task WriteIngestionAsync(string shape, long rows, double megabytes, List<BenchRun> ingests, double inspect, double inspectCpu, TextWriter output)
    {
        var median = ingests.OrderBy(r => r.ServiceSeconds).ElementAt(ingests.Count / 2);
        await output.WriteLineAsync(Line(shape, rows, megabytes, "service", median.ServiceSeconds, median.PeakBytes, median.ServiceSeconds / inspect));
        foreach (var (stage, seconds, isPart) in median.Stages)
        {
            var label = isPart ? $"  of which {stage}" : stage;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"    {label,-62} {seconds,7:F2} s {seconds / median.ServiceSeconds,5:P0}"));
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"    {"allocated while the service ran (all threads)",-62} {median.AllocatedBytes / 1048576.0,7:F1} MiB"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"    {$"JIT while the service ran: {median.JitMethods} methods (all threads)",-62} {median.JitSeconds,7:F2} s"));

        // Where the storage emulator shares the cores, its CPU is taken from the service's wall time: the service's own
        // CPU against inspect's says what the code costs, apart from the machine.
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"    {"CPU while the service ran: this process (all threads)",-62} {median.CpuSeconds,7:F2} s {median.CpuSeconds / inspectCpu,5:F2}x inspect's {inspectCpu:F2} s"));
        if (median.OtherCpuSeconds is { } others)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"    {"CPU meanwhile: every other process on this machine",-62} {others,7:F2} s"));
        }

        // The same worker's next blob: what a worker that is already running spends on a file (peak: the process's after both).
        var warm = ingests.Select(r => r.Warm!.Value).ToList();
        var warmSeconds = warm.Select(w => w.Seconds).Order().ElementAt(warm.Count / 2);
        await output.WriteLineAsync(Line(shape, rows, megabytes, "warm", warmSeconds, warm.Max(w => w.PeakBytes), warmSeconds / inspect));
    }

    private static string Line(string shape, long rows, double megabytes, string mode, double seconds, long peak, double ratio) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{shape,-8} {rows,-10} {megabytes,7:F1}  {mode,-8} {seconds,9:F3} {rows / seconds,13:N0} {peak / 1048576.0,10:F1}  {ratio,5:F2}x");

    private static double Median(List<BenchRun> runs, Func<BenchRun, double> value) => runs.Select(value).Order().ElementAt(runs.Count / 2);

    private static long Positive(string text, string option) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new UsageException($"{option} takes a positive whole number");
}
