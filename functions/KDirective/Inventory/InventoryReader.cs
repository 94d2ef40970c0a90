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

    /// <summary>Longer values are not names or versions; the row is rejected rather than stored.</summary>
    public const int MaxValueLength = 512;

    public InventoryReader()
        : this(ProductMatcher.Default)
    {
    }

    public Task<InventoryReport> ReadAsync(IInventorySource source, bool keepMatches = false, CancellationToken cancellationToken = default) =>
        ReadAsync(source, sink: null, keepMatches, cancellationToken);

    /// <param name="source">The file or blob.</param>
    /// <param name="sink">Given every matching row as it is read (ingestion stores them in batches); may be null.</param>
    /// <param name="keepMatches">Also list the matching rows in the report (the CLI's --matches).</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public async Task<InventoryReport> ReadAsync(IInventorySource source, IMatchSink? sink, bool keepMatches, CancellationToken cancellationToken = default)
    {
        var file = new FileState(source.Name);
        try
        {
            try
            {
                return await ReadOnceAsync(source, file, sink, keepMatches, forceWindows1252: false, cancellationToken).ConfigureAwait(false);
            }
            catch (NotUtf8Exception)
            {
                file = new FileState(source.Name);
                if (sink is not null)
                {
                    await sink.ResetAsync(cancellationToken).ConfigureAwait(false);
                }

                return await ReadOnceAsync(source, file, sink, keepMatches, forceWindows1252: true, cancellationToken).ConfigureAwait(false);
            }
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

    private async Task<InventoryReport> ReadOnceAsync(IInventorySource source, FileState file, IMatchSink? sink, bool keepMatches, bool forceWindows1252, CancellationToken cancellationToken)
    {
        await using var raw = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        var prefix = new byte[EncodingSniffer.PrefixSize];
        var length = await raw.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var encoding = forceWindows1252 ? TextEncodingKind.Windows1252 : EncodingSniffer.Detect(prefix.AsSpan(0, length), length < prefix.Length);
        file.Encoding = encoding;
        if (IsBlank(prefix.AsSpan(0, length), encoding))
        {
            throw new InventoryRejectedException("the file is empty");
        }

        var rows = new RowReader(matcher, file, keepMatches, collectPending: sink is not null);
        var options = new CsvReaderOptions
        {
            HasHeader = false, // we find the header ourselves, after a PowerShell #TYPE line
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            MaxRecordSize = MaxRecordBytes,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = rows.OnMalformed,
            Encoding = encoding.ForReader(),
        };

        await using var stream = new SniffedStream(prefix, length, raw, encoding);
        await using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        while (await csv.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (rows.Read(csv) is { } match)
            {
                await sink!.AddAsync(match, cancellationToken).ConfigureAwait(false);
            }
        }

        file.Delimiter ??= csv.Separator.ToString();
        (sink as IFleetSink)?.Fleet(rows.Fleet.Hosts, rows.Fleet.LargestCount);
        return rows.Finish();
    }

    private static bool IsBlank(ReadOnlySpan<byte> prefix, TextEncodingKind encoding)
    {
        var bomLength = encoding switch
        {
            TextEncodingKind.Utf8Bom => 3,
            TextEncodingKind.Utf16LE or TextEncodingKind.Utf16BE => 2,
            _ => 0,
        };
        return prefix[Math.Min(bomLength, prefix.Length)..].IndexOfAnyExcept("\r\n\t \0"u8) < 0;
    }

    private static string DescribeFormatError(CsvFormatException e) =>
        e.Message.Contains("MaxRecordSize", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("record size", StringComparison.OrdinalIgnoreCase)
            ? $"a record is larger than {MaxRecordBytes / 1024 / 1024} MiB (an unclosed quote or a runaway field)"
            : e.Message;
}
