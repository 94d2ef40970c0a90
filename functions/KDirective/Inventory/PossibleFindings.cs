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

    private string? Find(ReadOnlySpan<byte> text, byte separator)
    {
        var utf8 = Utf8.IsValid(text);
        foreach (var range in text.Split(separator))
        {
            var field = text[range].Trim(" \t\""u8);
            if (field.IsEmpty || !matcher.MayMatch(default, field))
            {
                continue;
            }

            // A quote inside a word (kaspersk"y) is what broke many a record: it must not also hide the name.
            var value = (utf8 ? Encoding.UTF8.GetString(field) : TextEncodingKindExtensions.Windows1252.GetString(field))
                .Replace("\"", string.Empty, StringComparison.Ordinal);
            if (matcher.Find(null, value) is { } match)
            {
                return match.Product;
            }
        }

        return null;
    }
}
