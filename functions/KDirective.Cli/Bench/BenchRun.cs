using System.Diagnostics;
using System.Globalization;

namespace KDirective.Cli.Bench;

/// <summary>
/// One whole-process run of <c>kdirective bench-child</c>: wall time as the parent sees it (start-up included, as an
/// operator would see it), and what the child reports: peak resident memory, rows and, for ingestion, its stages.
/// </summary>
/// <param name="Seconds">The whole process's wall time; for an ingestion, from the child's start to the end of its cold run.</param>
/// <param name="Warm">For an ingestion, the warm run: the same worker's next blob, its service time and the process's peak after it.</param>
/// <param name="CpuSeconds">The CPU the child used (all threads): in all, or for an ingestion while its cold service ran.</param>
/// <param name="OtherCpuSeconds">For an ingestion, the CPU every other process on the machine used while the service ran; else null.</param>
internal sealed record BenchRun(double Seconds, long PeakBytes, long Rows, IReadOnlyList<(string Stage, double Seconds, bool IsPart)> Stages, long AllocatedBytes, long JitMethods, double JitSeconds,
    double CpuSeconds, double? OtherCpuSeconds, (double Seconds, long PeakBytes)? Warm = null)
{
    /// <summary>The ingestion service's own time (upload excluded), or the whole run for other modes.</summary>
    public double ServiceSeconds => Stages.Count == 0 ? Seconds : Stages.Where(s => !s.IsPart).Sum(s => s.Seconds);

    /// <summary>
    /// Runs <paramref name="mode"/> on <paramref name="file"/> in a fresh child. An ingestion is preceded by an upload
    /// in a child of its own, not timed, so the timed child starts as the blob trigger's worker does: the blob is there.
    /// </summary>
    public static async Task<BenchRun> MeasureAsync(string mode, string file, string storage, CancellationToken cancellationToken)
    {
        if (mode == "ingest")
        {
            await RunChildAsync("upload", file, storage, cancellationToken);
        }

        var watch = Stopwatch.StartNew();
        var lines = await RunChildAsync(mode, file, storage, cancellationToken);
        watch.Stop();
        if (lines.Length == 0)
        {
            throw new CommandFailedException($"bench-child {mode} {file} printed nothing");
        }

        // The child is this same binary, so its head always has every field (BenchChild.Report), and an ingestion's
        // child always reports its process time and warm run (BenchIngestChild).
        var head = lines[0].Split(' ');
        var fields = lines.Skip(1).Select(l => l.Split('\t')).ToList();
        var stages = fields.Where(p => p[2] is "lap" or "part").Select(p => (p[0], Number(p[1]), p[2] == "part")).ToList();
        var others = Number(head[6]);
        var run = new BenchRun(watch.Elapsed.TotalSeconds, Whole(head[0]), Whole(head[1]), stages, Whole(head[2]), Whole(head[3]), Number(head[4]),
            Number(head[5]), others < 0 ? null : others);
        if (mode != "ingest")
        {
            return run;
        }

        var warm = fields.Single(p => p[2] == "warm");
        return run with { Seconds = Number(fields.Single(p => p[2] == "process")[1]), Warm = (Number(warm[1]), Whole(warm[3])) };
    }

    /// <summary>Runs <c>bench-child <paramref name="mode"/> <paramref name="file"/></c> in this build and returns its output lines.</summary>
    private static async Task<string[]> RunChildAsync(string mode, string file, string storage, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) != "kdirective")
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kdirective.dll")); // running under 'dotnet kdirective.dll'
        }

        foreach (var a in new[] { "bench-child", mode, file, "--storage", storage })
        {
            start.ArgumentList.Add(a);
        }

        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken);
        return child.ExitCode == 0
            ? (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : throw new CommandFailedException($"bench-child {mode} {file} exited with {child.ExitCode}: {(await stderr).Trim()}");
    }

    private static long Whole(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
