using System.Text;
using CsvHelper;

namespace KDirective.Inventory;

/// <summary>The header, and the lines that may come before it.</summary>
internal sealed partial class RowReader
{
    private void ReadHeader(CsvReader csv, long line)
    {
        var raw = csv.RawRecord;
        var content = raw.StartsWith("\uFEFF"u8) ? raw[3..] : raw;
        if (content.Trim(" \t,;|\r\n"u8).IsEmpty)
        {
            return; // leading blank lines, however many: the header is the first line with something on it
        }

        _sawRecord = true;
        _fields.Load(csv, raw, _byteOriented);
        _sawWindows1252 |= _fields.IsWindows1252;
        _sawUtf8 |= _fields.IsUtf8NonAscii;
        var headers = new string[csv.FieldCount];
        for (var i = 0; i < headers.Length; i++)
        {
            headers[i] = Encoding.UTF8.GetString(_fields[i]).TrimStart('\uFEFF').Trim();
        }

        if (headers[0].StartsWith("#TYPE", StringComparison.OrdinalIgnoreCase))
        {
            return; // Windows PowerShell's Export-Csv type line; the header follows it
        }

        _firstLine = line;
        file.Delimiter = csv.Separator.ToString();
        if (_fields.MayHaveControls && headers.Any(h => h.Any(char.IsControl)))
        {
            throw new InventoryRejectedException($"line {line}: the header contains control characters: this is binary data, not a CSV export");
        }

        var columns = InventoryFormats.Recognize(headers) ?? throw new InventoryRejectedException(
            $"line {line}: {NotRecognized(content, headers)}. Accepted formats: {InventoryFormats.AcceptedHeadersText}");
        if (columns.FindDuplicate(headers.Select(InventoryFormats.NormalizeHeader).ToArray()) is var (first, second))
        {
            throw new InventoryRejectedException(
                $"line {line}: columns {first + 1} and {second + 1} are both {Quote(headers[first])}, so which one to read is unclear; remove or rename one");
        }

        file.Columns = columns;
        _hasOtherNames = columns.OtherNames.Count > 0;
    }

    /// <summary>Why no format fits: another kind of document, or an unknown header.</summary>
    private static string NotRecognized(ReadOnlySpan<byte> content, string[] headers) =>
        content.TrimStart(" \t"u8) switch
        {
            [(byte)'{' or (byte)'[', ..] => "the file is JSON, not a CSV export",
            [(byte)'<', ..] => "the file is XML or HTML, not a CSV export",
            _ => $"no known inventory format has the headers {DescribeHeaders(headers)}",
        };

    private static string DescribeHeaders(string[] headers)
    {
        var shown = headers.Take(12).Select(Quote);
        return string.Join(", ", shown) + (headers.Length > 12 ? $" and {headers.Length - 12} more" : string.Empty);
    }
}
