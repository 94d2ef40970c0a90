using System.Buffers.Text;
using System.Text;
using CsvHelper;
using KDirective.Detection;

namespace KDirective.Inventory;

/// <summary>Turns the records of one file into validated rows, rejections and matches. Runs once per record.</summary>
internal sealed class RowReader(ProductMatcher matcher, FileState file, bool keepMatches, bool collectPending)
{
    private readonly SummaryBuilder _summary = new();
    private readonly MatchCache _matches = new(matcher);
    private readonly List<InventoryMatch> _kept = [];
    private readonly List<Rejection> _rejections = [];
    private long _rowsRead;
    private long _rowsRejected;
    private long _firstLine;

    /// <summary>Reads one record; returns its match when a sink is waiting for matches, else null.</summary>
    public InventoryMatch? Read(CsvReader csv)
    {
        if (file.Columns is null)
        {
            ReadHeader(csv);
            return null;
        }

        // Per-row hot path: fields are read as UTF-8 spans, and only the values that must be kept (a new host,
        // a matching row, a rejection message) become strings.
        _rowsRead++;
        var columns = file.Columns;
        if (csv.FieldCount != columns.FieldCount)
        {
            Reject(csv.LineNumber, $"expected {columns.FieldCount} fields as in the header, found {csv.FieldCount}");
            return null;
        }

        var name = Field(csv, columns.Name);
        if (name.IsEmpty)
        {
            Reject(csv.LineNumber, "no product name");
            return null;
        }

        long? count = null;
        if (columns.Count >= 0)
        {
            var countText = Field(csv, columns.Count);
            if (!countText.IsEmpty)
            {
                if (countText.ContainsAnyExceptInRange((byte)'0', (byte)'9') || !Utf8Parser.TryParse(countText, out long parsed, out _))
                {
                    Reject(csv.LineNumber, $"endpoint count {Quote(Encoding.UTF8.GetString(countText))} is not a whole number");
                    return null;
                }

                count = parsed;
            }
            else if (columns.Format.CountRequired)
            {
                Reject(csv.LineNumber, "no endpoint count");
                return null;
            }
        }

        var host = columns.Host >= 0 ? Field(csv, columns.Host) : default;
        if (columns.Host >= 0 && host.IsEmpty && count is null)
        {
            Reject(csv.LineNumber, columns.Count >= 0 ? "no hostname and no endpoint count" : "no hostname");
            return null;
        }

        if (!host.IsEmpty)
        {
            count = null; // a named host is one endpoint, whatever a count column says
        }

        var publisher = columns.Publisher >= 0 ? Field(csv, columns.Publisher) : default;
        if (TooLong(name, host, publisher) is { } tooLong)
        {
            Reject(csv.LineNumber, tooLong);
            return null;
        }

        _summary.AddRow(host, count);
        if (_matches.Match(publisher, name) is { } product)
        {
            var version = Field(csv, columns.Version);
            version = version[..Math.Min(version.Length, MaxVersionBytes)];
            _summary.AddMatch(product, host, version, count ?? 1);
            if (keepMatches || collectPending)
            {
                var match = new InventoryMatch(csv.LineNumber, Text(host), Text(publisher), Encoding.UTF8.GetString(name), Text(version), product, count ?? 1);
                if (keepMatches)
                {
                    _kept.Add(match);
                }

                return collectPending ? match : null;
            }
        }

        return null;
    }

    /// <summary>Versions are kept per product; a longer one is not a version and is cut.</summary>
    private const int MaxVersionBytes = 64;

    public void OnMalformed(CsvMalformedRecord record)
    {
        if (!record.Skipped || file.Columns is null)
        {
            return;
        }

        _rowsRead++;
        var reason = record.Reason switch
        {
            CsvMalformedReason.StrayQuote => "a quote inside an unquoted field",
            CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a field",
            CsvMalformedReason.UnterminatedQuote => "a quoted field that is never closed",
            CsvMalformedReason.LineBreakInQuotes => "a line break inside a quoted field",
            CsvMalformedReason.FieldCountMismatch => "the wrong number of fields",
            _ => record.Reason.ToString(),
        };
        Reject(record.LineNumber, reason);
    }

    /// <summary>The hosts and largest count seen, for the caller's coverage check.</summary>
    public (IReadOnlySet<ulong> Hosts, long LargestCount) Fleet => (_summary.Hosts, _summary.LargestCount);

    public InventoryReport Finish()
    {
        if (file.Columns is null)
        {
            throw new InventoryRejectedException("the file has no header row");
        }

        if (_rowsRead == 0)
        {
            throw new InventoryRejectedException($"line {_firstLine}: the file has a header but no data rows");
        }

        var accepted = _rowsRejected < _rowsRead;
        return new InventoryReport(
            file.Name, file.Columns.Format.Id, file.Encoding?.Label(), file.Delimiter, accepted,
            accepted ? null : $"every one of the {_rowsRead} data rows was rejected; the first at line {_rejections[0].Line}: {_rejections[0].Reason}",
            _rowsRead, _rowsRejected, _rejections,
            _summary.EndpointsScanned, _summary.EndpointsAffected, _summary.Findings, _kept);
    }

    private void ReadHeader(CsvReader csv)
    {
        var first = csv.GetString(0).TrimStart('\uFEFF');
        if (first.StartsWith("#TYPE", StringComparison.OrdinalIgnoreCase))
        {
            return; // Windows PowerShell's Export-Csv type line; the header follows it
        }

        _firstLine = csv.LineNumber;
        file.Delimiter = csv.Separator.ToString();
        var headers = new string[csv.FieldCount];
        for (var i = 0; i < headers.Length; i++)
        {
            headers[i] = (i == 0 ? first : csv.GetString(i)).Trim();
        }

        file.Columns = InventoryFormats.Recognize(headers) ?? throw new InventoryRejectedException(
            $"line {_firstLine}: no known inventory format has the headers {DescribeHeaders(headers)}. Accepted formats: {InventoryFormats.AcceptedHeadersText}");
    }

    private static string DescribeHeaders(string[] headers)
    {
        var shown = headers.Take(12).Select(h => Quote(h.Length > 40 ? h[..40] + "…" : h));
        return string.Join(", ", shown) + (headers.Length > 12 ? $" and {headers.Length - 12} more" : string.Empty);
    }

    private void Reject(long line, string reason)
    {
        _rowsRejected++;
        if (_rejections.Count < InventoryReport.MaxRejectionsListed)
        {
            _rejections.Add(new Rejection(line, reason));
        }
    }

    private static ReadOnlySpan<byte> Field(CsvReader csv, int index) => csv.GetSpan(index).Trim(" \t"u8);

    private static string? Text(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? null : Encoding.UTF8.GetString(utf8);

    private static string? TooLong(ReadOnlySpan<byte> name, ReadOnlySpan<byte> host, ReadOnlySpan<byte> publisher) =>
        IsTooLong(name) ? $"product name is longer than {InventoryReader.MaxValueLength} characters"
        : IsTooLong(host) ? $"hostname is longer than {InventoryReader.MaxValueLength} characters"
        : IsTooLong(publisher) ? $"publisher is longer than {InventoryReader.MaxValueLength} characters"
        : null;

    // A UTF-8 value has at least as many bytes as characters: count characters only when the bytes are many.
    private static bool IsTooLong(ReadOnlySpan<byte> utf8) =>
        utf8.Length > InventoryReader.MaxValueLength && Encoding.UTF8.GetCharCount(utf8) > InventoryReader.MaxValueLength;

    /// <summary>Quotes a value from the upload for a message: short, with control characters made visible.</summary>
    internal static string Quote(string value)
    {
        var shown = value.Length > 40 ? value[..40] + "…" : value;
        var chars = shown.Select(c => char.IsControl(c) ? '\uFFFD' : c).ToArray();
        return $"'{new string(chars)}'";
    }
}
