using System.Diagnostics;
using System.Globalization;

namespace KDirective.Cli.Bench;

/// <summary>
/// One whole-process run of <c>kdirective bench-child</c>: wall time as the parent sees it (start-up included, as an
/// operator would see it), and what the child reports: peak resident memory, rows and, for ingestion, its stages.
/// </summary>
internal sealed record BenchRun(double Seconds, long PeakBytes, long Rows, IReadOnlyList<(string Stage, double Seconds, bool IsPart)> Stages, long AllocatedBytes, long JitMethods, double JitSeconds)
{
    /// <summary>The ingestion service's own time (upload excluded), or the whole run for other modes.</summary>
    public double ServiceSeconds => Stages.Count == 0 ? Seconds : Stages.Where(s => !s.IsPart).Sum(s => s.Seconds);

    public static async Task<BenchRun> MeasureAsync(string mode, string file, string storage, CancellationToken cancellationToken)
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

        var watch = Stopwatch.StartNew();
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = child.StandardError.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken);
        watch.Stop();
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (child.ExitCode != 0 || lines.Length == 0)
        {
            throw new InvalidOperationException($"bench-child {mode} {file} exited with {child.ExitCode}: {await stderr}");
        }

        var head = lines[0].Split(' ');
        var stages = lines.Skip(1).Select(l => l.Split('\t')).Select(p => (p[0], Number(p[1]), p[2] == "part")).ToList();
        // The child is this same binary, so its head always has every field (BenchChild.Report).
        return new BenchRun(watch.Elapsed.TotalSeconds, Whole(head[0]), Whole(head[1]), stages, Whole(head[2]), Whole(head[3]), Number(head[4]));
    }

    private static long Whole(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
