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
            $"line {line}: {NotRecognized(content, headers, csv.Separator)}. Accepted formats: {InventoryFormats.AcceptedHeadersText}");
        if (columns.FindDuplicate(headers.Select(InventoryFormats.NormalizeHeader).ToArray()) is var (first, second))
        {
            throw new InventoryRejectedException(
                $"line {line}: columns {first + 1} and {second + 1} are both {Quote(headers[first])}, so which one to read is unclear; remove or rename one");
        }

        file.Columns = columns;
        _hasOtherNames = columns.OtherNames.Count > 0;
        _headerNames = headers.Select(Encoding.UTF8.GetBytes).ToArray();
        foreach (var name in _headerNames)
        {
            _headerLengths |= name.Length < 64 ? 1UL << name.Length : 0;
        }
    }

    /// <summary>The header's names as UTF-8, and a bit per length under 64 that one of them has.</summary>
    private byte[][] _headerNames = [];
    private ulong _headerLengths;

    /// <summary>Whether a row's product name is one of the header's names (cheap: most names differ in length).</summary>
    private bool IsHeaderName(ReadOnlySpan<byte> value) =>
        value.Length < 64 && (_headerLengths & (1UL << value.Length)) != 0 && IndexOfHeader(value) >= 0;

    private int IndexOfHeader(ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < _headerNames.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(value, _headerNames[i]) || value.SequenceEqual(_headerNames[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// A row whose every field is one of the header's names is a header again: two exports joined into one file. In the
    /// same order, its rows still read right, and the line alone is rejected. In another order, every row after it
    /// would be read through the wrong columns (a product name as a hostname), so the whole file is rejected.
    /// </summary>
    /// <returns>False when the row is not a header (a product that happens to share a header's name).</returns>
    private bool HeaderAgain(long line, ReadOnlySpan<byte> raw)
    {
        var sameOrder = true;
        for (var i = 0; i < _fields.FieldCount; i++)
        {
            var at = IndexOfHeader(_fields[i]);
            if (at < 0)
            {
                return false;
            }

            sameOrder &= at == i || Ascii.EqualsIgnoreCase(_headerNames[at], _headerNames[i]);
        }

        if (!sameOrder)
        {
            throw new InventoryRejectedException(
                $"line {line}: this line is a header again, with the columns in another order than the header on line {_firstLine}: the file joins exports of different layouts, so no one header reads all its rows; upload each export as a file of its own");
        }

        Reject(line, $"the header again (line {_firstLine}): two exports joined into one file; the rows after it are read with the same columns", raw);
        return true;
    }

    /// <summary>Why no format fits: another kind of document, or an unknown header.</summary>
    private static string NotRecognized(ReadOnlySpan<byte> content, string[] headers, char separator) =>
        content.TrimStart(" \t"u8) switch
        {
            [(byte)'{' or (byte)'[', ..] => "the file is JSON, not a CSV export",
            [(byte)'<', ..] => "the file is XML or HTML, not a CSV export",
            _ when OtherSeparator(content, separator) is { } other =>
                $"the header is separated by {Describe(other)}, but the separator was detected as {Describe(separator)} from the file's first lines (lines before the header made of {Describe(separator)} only?); remove the lines before the header or make them blank",
            _ => $"no known inventory format has the headers {DescribeHeaders(headers)}",
        };

    /// <summary>Another separator with which the header line is one a format recognizes, if any.</summary>
    private static char? OtherSeparator(ReadOnlySpan<byte> content, char detected)
    {
        var text = Encoding.UTF8.GetString(content).TrimStart('\uFEFF');
        foreach (var candidate in ",;\t|")
        {
            if (candidate != detected && text.Contains(candidate, StringComparison.Ordinal)
                && InventoryFormats.Recognize(text.Split(candidate).Select(h => h.Trim().Trim('"')).ToArray()) is not null)
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Describe(char separator) => separator == '\t' ? "tabs" : $"'{separator}'";

    private static string DescribeHeaders(string[] headers)
    {
        var shown = headers.Take(12).Select(Quote);
        return string.Join(", ", shown) + (headers.Length > 12 ? $" and {headers.Length - 12} more" : string.Empty);
    }
}
