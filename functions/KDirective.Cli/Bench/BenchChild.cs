using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using KDirective.Ingestion;
using KDirective.Inventory;

namespace KDirective.Cli.Bench;

/// <summary>
/// <c>kdirective bench-child &lt;bare|inspect&gt; &lt;file&gt;</c>: one measurement in a fresh process. Prints
/// "peak-bytes rows" (<see cref="BenchIngestChild"/> measures ingestion in the full build).
/// </summary>
internal static class BenchChild
{
    public static async Task<int> RunAsync(IEnumerable<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = CliArgs.Parse(args, new HashSet<string>(), new HashSet<string> { "--storage" });
        if (parsed.Positionals is not [var mode, var file])
        {
            throw new UsageException("bench-child <bare|inspect|matches> <file>");
        }

        var rows = mode switch
        {
            "bare" => BareLoop(file),
            "inspect" => await InspectAsync(file, cancellationToken),
            "matches" => await MatchesAsync(file, cancellationToken),
            _ => throw new UsageException($"unknown bench mode '{mode}'"),
        };
        Report(output, rows, []);
        return 0;
    }

    /// <summary>
    /// What the parent reads: "peak-bytes rows allocated-bytes jit-methods jit-seconds cpu-seconds other-cpu-seconds"
    /// (allocations and JIT -1 when not measured; the CPU this process used, while the service ran or else in all; the
    /// CPU every other process on the machine used while the service ran, -1 when not measured), then one
    /// "stage TAB seconds TAB lap|part" line per stage.
    /// </summary>
    public static void Report(TextWriter output, long rows, IReadOnlyList<IngestionLap> laps, ServiceCost? cost = null)
    {
        var (allocated, methods, jit) = cost is null ? (-1L, -1L, -1.0) : (cost.AllocatedBytes, cost.JitMethods, cost.JitTime.TotalSeconds);
        var (cpu, others) = cost is null ? (CpuSample.Now().Self.TotalSeconds, -1.0) : (cost.Cpu.TotalSeconds, cost.OtherCpu?.TotalSeconds ?? -1.0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{PeakBytes()} {rows} {allocated} {methods} {jit} {cpu} {others}"));
        foreach (var lap in laps)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lap.Stage}\t{lap.Elapsed.TotalSeconds}\t{(lap.IsPartOfPrevious ? "part" : "lap")}"));
        }
    }

    /// <summary>
    /// The baseline: CsvHelper reads the file and every field is materialized as a string, nothing else. Synchronous
    /// reads, as the reader's own of a local file: on Linux FileStream.ReadAsync is a thread-pool work item per block.
    /// </summary>
    private static long BareLoop(string file)
    {
        using var stream = File.OpenRead(file);
        using var csv = CsvReader.Create(stream, new CsvReaderOptions(), leaveOpen: false);
        long rows = 0, chars = 0;
        while (csv.Read())
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
        return report.Accepted ? report.RowsRead : throw new CommandFailedException($"{file}: {report.Error}");
    }

    /// <summary>
    /// What <c>kdirective inspect --json --matches</c> does, the document written nowhere: every match is spooled and
    /// written out. Its file has a match on every row, so the count is checked: a bench that spooled nothing would
    /// measure nothing.
    /// </summary>
    private static async Task<long> MatchesAsync(string file, CancellationToken cancellationToken)
    {
        var matches = new CountingWriter();
        var code = await InspectCommand.RunAsync([file, "--json", "--matches"], matches, CliCatalog.FileMatcher, cancellationToken);
        if (code != InspectCommand.Accepted)
        {
            throw new CommandFailedException($"{file}: inspect rejected it");
        }

        return matches.RowsRead is { } rows && matches.Matches == rows ? rows
            : throw new CommandFailedException($"{file}: {matches.Matches} matches written for {matches.RowsRead} rows");
    }

    /// <summary>
    /// Discards the document, counting the match objects written into it (each has one <c>"line":</c>; an accepted
    /// file of matching rows has no rejection or possible finding that would add one) and reading its
    /// <c>"rowsRead"</c>, so the file is not read a second time. Writes complete at once.
    /// </summary>
    private sealed class CountingWriter : TextWriter
    {
        private Marker _line = new("\"line\":");
        private Marker _rowsRead = new("\"rowsRead\": ");
        private bool _inRowsRead;

        public long Matches { get; private set; }

        /// <summary>The document's row count; null until it has been written.</summary>
        public long? RowsRead { get; private set; }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => Scan([value]);

        public override void Write(char[] buffer, int index, int count) => Scan(buffer.AsSpan(index, count));

        public override void Write(ReadOnlySpan<char> buffer) => Scan(buffer);

        public override void Write(string? value) => Scan(value);

        public override Task WriteAsync(char value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(string? value)
        {
            Scan(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(char[] buffer, int index, int count)
        {
            Scan(buffer.AsSpan(index, count));
            return Task.CompletedTask;
        }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            Scan(buffer.Span);
            return Task.CompletedTask;
        }

        public override Task WriteLineAsync(string? value)
        {
            Scan(value);
            return Task.CompletedTask;
        }

        public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            Scan(buffer.Span);
            return Task.CompletedTask;
        }

        private void Scan(ReadOnlySpan<char> text)
        {
            foreach (var c in text)
            {
                if (_inRowsRead && char.IsAsciiDigit(c))
                {
                    RowsRead = (RowsRead ?? 0) * 10 + (c - '0');
                    continue;
                }

                _inRowsRead = false;
                if (_line.Next(c))
                {
                    Matches++;
                }

                if (RowsRead is null && _rowsRead.Next(c))
                {
                    _inRowsRead = true;
                }
            }
        }

        /// <summary>
        /// Finds a text one character at a time. A broken partial match restarts only at the text's first character,
        /// which finds every JSON property name with its colon in a document (a quote is never followed by a letter
        /// of the same name right after a closing quote), though not every string in general.
        /// </summary>
        private struct Marker(string text)
        {
            private int _matched;

            /// <summary>Whether <paramref name="c"/> completes the text.</summary>
            public bool Next(char c)
            {
                _matched = c == text[_matched] ? _matched + 1 : c == text[0] ? 1 : 0;
                if (_matched < text.Length)
                {
                    return false;
                }

                _matched = 0;
                return true;
            }
        }
    }

    /// <summary>Peak resident memory of this process (VmHWM on Linux).</summary>
    internal static long PeakBytes()
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

/// <summary>
/// What the process spent while the service ran, besides time: bytes allocated, the JIT's methods and time, and CPU
/// (all threads); and the CPU every other process on the machine used meanwhile (null where it cannot be read).
/// </summary>
internal sealed record ServiceCost(long AllocatedBytes, long JitMethods, TimeSpan JitTime, TimeSpan Cpu, TimeSpan? OtherCpu);

/// <summary>
/// CPU used so far: by this process (all threads), and by every process on the machine (Linux: the busy time in
/// <c>/proc/stat</c>; null elsewhere). Two samples give what the service cost this process and, on a machine where
/// the storage emulator shares the cores, what it cost everything else.
/// </summary>
internal readonly record struct CpuSample(TimeSpan Self, TimeSpan? Machine)
{
    /// <summary>The kernel's USER_HZ, in which <c>/proc/stat</c> counts: 100 on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static CpuSample Now() => new(Process.GetCurrentProcess().TotalProcessorTime, MachineBusy());

    /// <summary>
    /// What every other process used between <paramref name="start"/> and this sample. The machine's count moves in
    /// 10 ms ticks, finer than this process's, so a difference below zero is a rounding and shows as zero.
    /// </summary>
    public TimeSpan? OthersSince(CpuSample start) =>
        Machine is { } end && start.Machine is { } begin ? TimeSpan.FromTicks(Math.Max(0, ((end - begin) - (Self - start.Self)).Ticks)) : null;

    /// <summary>
    /// The first line of /proc/stat: cpu user nice system idle iowait irq softirq steal ...; busy is user, nice, system,
    /// irq and softirq. Steal is time the hypervisor ran other machines, not processes here (this VM reports none).
    /// </summary>
    private static TimeSpan? MachineBusy()
    {
        const string path = "/proc/stat";
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new StreamReader(path);
        var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is not { Length: > 8 } || fields[0] != "cpu")
        {
            return null;
        }

        var busy = 0L;
        foreach (var i in new[] { 1, 2, 3, 6, 7 })
        {
            busy += long.Parse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }
}
