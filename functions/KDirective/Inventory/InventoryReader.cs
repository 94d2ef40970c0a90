using CsvHelper;
using KDirective.Detection;

namespace KDirective.Inventory;

/// <summary>
/// Reads one inventory export, streaming: encoding and separator detection, format recognition from the header,
/// row validation with line numbers, and banned-product matching. The CLI and the blob trigger both call this.
/// </summary>
public sealed class InventoryReader(ProductMatcher matcher)
{
    /// <summary>No real inventory row comes near this; a larger record is hostile or broken input.</summary>
    public const int MaxRecordBytes = 1 << 20;

    internal static string RecordTooLarge => $"a record is larger than {MaxRecordBytes / 1024 / 1024} MiB (an unclosed quote or a runaway field)";

    /// <summary>Longer values are not names or versions; the row is rejected rather than stored.</summary>
    public const int MaxValueLength = 512;

    public InventoryReader()
        : this(ProductMatcher.Default)
    {
    }

    public Task<InventoryReport> ReadAsync(IInventorySource source, bool keepMatches = false, CancellationToken cancellationToken = default) =>
        ReadAsync(source, sink: null, keepMatches, cancellationToken);

    /// <param name="source">The file or blob, read once from start to end.</param>
    /// <param name="sink">Given every matching row as it is read (ingestion stores them in batches); may be null.</param>
    /// <param name="keepMatches">Also list the matching rows in the report (tests; the CLI streams through a sink).</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public async Task<InventoryReport> ReadAsync(IInventorySource source, IMatchSink? sink, bool keepMatches, CancellationToken cancellationToken = default)
    {
        var file = new FileState(source.Name);
        try
        {
            return await ReadOnceAsync(source, file, sink, keepMatches, cancellationToken).ConfigureAwait(false);
        }
        catch (InventoryRejectedException e)
        {
            return file.Rejected(e.Message);
        }
        catch (CsvFormatException e)
        {
            var where = e.LineNumber > 0 ? $"line {e.LineNumber}: " : string.Empty;
            return file.Rejected($"{where}{DescribeFormatError(e)}");
        }
    }

    private async Task<InventoryReport> ReadOnceAsync(IInventorySource source, FileState file, IMatchSink? sink, bool keepMatches, CancellationToken cancellationToken)
    {
        await using var raw = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        var prefix = new byte[EncodingSniffer.PrefixSize];
        var length = raw is FileStream // a local file is read synchronously throughout (SniffedStream.ReadAsync says why)
            ? raw.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false)
            : await raw.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var encoding = EncodingSniffer.Detect(prefix.AsSpan(0, length), length < prefix.Length);
        file.Encoding = encoding;

        using var rows = new RowReader(matcher, file, keepMatches, collectPending: sink is not null);
        var options = new CsvReaderOptions
        {
            HasHeader = false, // we find the header ourselves, after blank lines and a PowerShell #TYPE line
            TrackLineNumbers = true,

            // Line by line: a quote left open cannot swallow the rows after it. The row reader joins the lines of a
            // quoted value with line breaks itself, and reads them on their own again when they are not one record.
            AllowLineBreaksInQuotes = false,
            SkipEmptyLines = true,
            MaxRecordSize = MaxRecordBytes,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = rows.OnMalformed,

            // Bytes are read as they are; each record that is not UTF-8 is decoded as Windows-1252 on its own.
            Encoding = null,
        };

        await using var stream = new SniffedStream(prefix, length, raw, encoding);
        await using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        while (await csv.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Read(csv);
            if (rows.Pending.Count > 0)
            {
                foreach (var match in rows.Pending)
                {
                    await sink!.AddAsync(match, cancellationToken).ConfigureAwait(false);
                }

                rows.Pending.Clear();
            }
        }

        file.Delimiter ??= csv.Separator.ToString();
        var report = rows.Finish();
        foreach (var match in rows.Pending)
        {
            await sink!.AddAsync(match, cancellationToken).ConfigureAwait(false);
        }

        if (sink is IFleetSink fleet)
        {
            var (hosts, largestCount) = rows.TakeFleet();
            fleet.Fleet(hosts, largestCount);
        }

        return report;
    }

    private static string DescribeFormatError(CsvFormatException e) =>
        e.Message.Contains("MaxRecordSize", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("record size", StringComparison.OrdinalIgnoreCase)
            ? RecordTooLarge
            : e.Message;
}
