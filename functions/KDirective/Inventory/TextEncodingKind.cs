using System.Text;

namespace KDirective.Inventory;

/// <summary>The text encodings we read, and what the report calls them.</summary>
public enum TextEncodingKind
{
    Utf8,
    Utf8Bom,
    Utf16LE,
    Utf16BE,
    Windows1252,
}

internal static class TextEncodingKindExtensions
{

    public static string Label(this TextEncodingKind kind) => kind switch
    {
        TextEncodingKind.Utf8 => "utf-8",
        TextEncodingKind.Utf8Bom => "utf-8-bom",
        TextEncodingKind.Utf16LE => "utf-16le",
        TextEncodingKind.Utf16BE => "utf-16be",
        TextEncodingKind.Windows1252 => "windows-1252",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Windows-1252, for the records that are not valid UTF-8.</summary>
    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>Windows-1251 (Cyrillic), tried only to match names in records that are not valid UTF-8 (see <see cref="MayBeCyrillic"/>).</summary>
    public static Encoding Windows1251 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;

    /// <summary>
    /// Whether bytes that are not UTF-8 may be Windows-1251 Cyrillic: three letters in a row from its letter range
    /// (0xC0-0xFF, А to я). Western Windows-1252 text rarely has three accented letters in a row, so its rows do not
    /// pay for a second decoding.
    /// </summary>
    public static bool MayBeCyrillic(ReadOnlySpan<byte> raw)
    {
        var run = 0;
        foreach (var b in raw)
        {
            run = b >= 0xC0 ? run + 1 : 0;
            if (run == 3)
            {
                return true;
            }
        }

        return false;
    }

    public static int BomLength(this TextEncodingKind kind) => kind switch
    {
        TextEncodingKind.Utf8Bom => 3,
        TextEncodingKind.Utf16LE or TextEncodingKind.Utf16BE => 2,
        _ => 0,
    };

    /// <summary>Whether the bytes after the BOM are single-byte-compatible text where a NUL byte means binary data.</summary>
    public static bool IsByteOriented(this TextEncodingKind kind) => kind is not (TextEncodingKind.Utf16LE or TextEncodingKind.Utf16BE);
}
