using System.Text;
using System.Text.Unicode;
using KDirective.Detection;
using KDirective.Storage;

namespace KDirective.Inventory;

/// <summary>
/// Looks at every line of a rejected record for anything the catalog would match, field by field (the record is
/// broken, so which field is the product name is not known). A Kaspersky row is thus never only "rejected".
/// </summary>
internal sealed class PossibleFindings(ProductMatcher matcher)
{
    private const int TextShown = 200;
    private readonly List<PossibleFinding> _listed = [];

    public long Count { get; private set; }

    public IReadOnlyList<PossibleFinding> Listed => _listed;

    /// <summary>Checks the lines of <paramref name="raw"/>, the first of which is line <paramref name="line"/>.</summary>
    public void Check(long line, ReadOnlySpan<byte> raw, byte separator)
    {
        foreach (var range in raw.Split((byte)'\n'))
        {
            var text = raw[range].TrimEnd((byte)'\r');
            if (Find(text, separator) is { } product)
            {
                Count++;
                if (_listed.Count < InventoryReport.MaxRejectionsListed)
                {
                    _listed.Add(new PossibleFinding(line, product, LogSafe.Of(RecordFields.Decode(text), TextShown)));
                }
            }

            line++;
        }
    }

    /// <summary>A row that was read, not rejected, whose other columns name a banned product its product columns do not.</summary>
    public void Add(long line, string product, ReadOnlySpan<byte> raw)
    {
        Count++;
        if (_listed.Count < InventoryReport.MaxRejectionsListed)
        {
            _listed.Add(new PossibleFinding(line, product, LogSafe.Of(RecordFields.Decode(raw), TextShown)));
        }
    }

    /// <summary>
    /// What the catalog would match in one line, field by field: its product, or null. Each field is decoded on its
    /// own (a stray byte in the hostname must not garble a valid UTF-8 name next to it), and control characters are
    /// removed before matching: in a rejected record they are what broke it (<c>Kasper\x01sky</c>), and the
    /// matcher's own normalization never looks at ASCII values.
    /// </summary>
    internal string? Find(ReadOnlySpan<byte> text, byte separator)
    {
        foreach (var range in text.Split(separator))
        {
            var field = text[range].Trim(" \t\""u8);
            if (field.IsEmpty)
            {
                continue;
            }

            var controls = field.ContainsAnyInRange((byte)0x00, (byte)0x1F) || field.Contains((byte)0x7F);
            if (!controls && !matcher.MayMatch(default, field))
            {
                continue;
            }

            // Control bytes go before decoding: one inside a multi-byte character (the two bytes of a Cyrillic п)
            // would otherwise break the character as well as the word.
            var bytes = controls ? WithoutControlBytes(field) : field;
            foreach (var decoded in Decodings(bytes))
            {
                // A quote inside a word (kaspersk"y) is what broke many a record: it must not also hide the name.
                var value = WithoutControls(decoded.Replace("\"", string.Empty, StringComparison.Ordinal));
                if (matcher.Find(null, value) is { } match)
                {
                    return match.Product;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The field without C0 control bytes and DEL, except that tab, CR and LF become spaces where they separate words;
    /// one before a UTF-8 continuation byte sits inside a character, and goes.
    /// </summary>
    private static byte[] WithoutControlBytes(ReadOnlySpan<byte> field)
    {
        var kept = new List<byte>(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            var b = field[i];
            if (b is >= 0x20 and not 0x7F)
            {
                kept.Add(b);
            }
            else if (b is (byte)'\t' or (byte)'\r' or (byte)'\n' && !(i + 1 < field.Length && field[i + 1] is >= 0x80 and <= 0xBF))
            {
                kept.Add((byte)' ');
            }
        }

        return [.. kept];
    }

    /// <summary>
    /// UTF-8 when the field is valid UTF-8 (and what a double encoding of it came from, when it may be one); else
    /// Windows-1252, UTF-8 with the bad bytes replaced, and Windows-1251.
    /// </summary>
    private static IEnumerable<string> Decodings(ReadOnlySpan<byte> field)
    {
        if (Utf8.IsValid(field))
        {
            var text = Encoding.UTF8.GetString(field);
            return TextEncodingKindExtensions.MayBeDoubleEncodedCyrillic(field) && TextEncodingKindExtensions.UndoDoubleEncoding(text) is { } undone
                ? [text, undone]
                : [text];
        }

        return [TextEncodingKindExtensions.Windows1252.GetString(field), Encoding.UTF8.GetString(field), TextEncodingKindExtensions.Windows1251.GetString(field)];
    }

    /// <summary>
    /// The value with tab and line breaks as spaces (within one field they separate words) and every other C0 control,
    /// DEL and C1 control removed (inside a word they only hide it).
    /// </summary>
    private static string WithoutControls(string value)
    {
        if (!value.AsSpan().ContainsAnyInRange('\u0000', '\u001F') && !value.AsSpan().ContainsAnyInRange('\u007F', '\u009F'))
        {
            return value;
        }

        var kept = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\t' or '\r' or '\n')
            {
                kept.Append(' ');
            }
            else if (c is >= '\u0020' and (< '\u007F' or > '\u009F'))
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }
}
