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
    }

    /// <summary>
    /// Every header name any format knows, as its letters, by first letter: what a row whose product name is a header
    /// name is compared with. A header's letters are all it has (<c>Netbios_Name0</c> is <c>netbiosname</c>), so a BOM,
    /// a zero-width space, quotes or a trailing <c>0</c> in front of or after them change nothing.
    /// </summary>
    private static readonly byte[][][] HeaderNamesByFirstLetter = BuildHeaderNames();

    private static byte[][][] BuildHeaderNames()
    {
        var names = InventoryFormats.All
            .SelectMany(f => f.Host.Concat(f.Publisher).Concat(f.Name).Concat(f.Version).Concat(f.Count))
            .Concat(ColumnMap.AnyPublisher)
            .Distinct()
            .Select(Encoding.ASCII.GetBytes)
            .ToArray();
        return Enumerable.Range(0, 128).Select(c => names.Where(n => n[0] == c).ToArray()).ToArray();
    }

    /// <summary>Whether the value's ASCII letters, lower-cased, spell a header name of some format (cheap: one letter rules most out).</summary>
    private static bool IsHeaderName(ReadOnlySpan<byte> value)
    {
        if (value.Length > 64)
        {
            return false;
        }

        var first = 0;
        while (first < value.Length && !char.IsAsciiLetter((char)value[first]))
        {
            first++;
        }

        if (first == value.Length || HeaderNamesByFirstLetter[value[first] | 0x20].Length == 0)
        {
            return false;
        }

        var letter = value[first] | 0x20;

        foreach (var name in HeaderNamesByFirstLetter[letter])
        {
            if (LettersEqual(value[first..], name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the ASCII letters of <paramref name="value"/>, lower-cased, are exactly <paramref name="name"/>.</summary>
    private static bool LettersEqual(ReadOnlySpan<byte> value, byte[] name)
    {
        var at = 0;
        foreach (var b in value)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                continue;
            }

            if (at == name.Length || (byte)(b | 0x20) != name[at])
            {
                return false;
            }

            at++;
        }

        return at == name.Length;
    }

    /// <summary>
    /// A row whose fields make a header a format recognizes (by their letters) is a header again: two exports joined
    /// into one file. With the columns in the same places, its rows still read right, and the line alone is rejected.
    /// Otherwise every row after it would be read through the wrong columns (a product name as a hostname), so the
    /// whole file is rejected.
    /// </summary>
    /// <returns>False when the row is not a header (a product that happens to share a header's name).</returns>
    private bool HeaderAgain(long line, ReadOnlySpan<byte> raw)
    {
        var names = new string[_fields.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = new string(Encoding.UTF8.GetString(_fields[i]).Where(char.IsAsciiLetter).ToArray());
        }

        if (InventoryFormats.Recognize(names) is not { } again)
        {
            return false;
        }

        var columns = file.Columns!;
        if ((again.Host, again.Publisher, again.Name, again.Version, again.Count) != (columns.Host, columns.Publisher, columns.Name, columns.Version, columns.Count)
            || !again.OtherNames.SequenceEqual(columns.OtherNames))
        {
            throw new InventoryRejectedException(
                $"line {line}: this line is a header again, with its columns in other places than the header on line {_firstLine}: the file joins exports of different layouts, so no one header reads all its rows; upload each export as a file of its own");
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
