using System.Text;
using System.Text.Unicode;

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

    /// <summary>
    /// Whether UTF-8 bytes may be UTF-8 that was read as Windows-1252 and saved as UTF-8 again (Excel opening a UTF-8
    /// file without a BOM, then "CSV UTF-8"): Cyrillic's lead bytes 0xD0 and 0xD1 then become Ð and Ñ, 0xC3 0x90/0x91.
    /// </summary>
    public static bool MayBeDoubleEncodedCyrillic(ReadOnlySpan<byte> utf8) => utf8.IndexOf("Ð"u8) >= 0 || utf8.IndexOf("Ñ"u8) >= 0;

    /// <summary>
    /// The text a double encoding came from: each character back to its Windows-1252 byte (the five bytes 1252 leaves
    /// undefined come back as U+0081, U+008D, U+008F, U+0090 and U+009D), read as UTF-8. Null when that is not UTF-8.
    /// </summary>
    public static string? UndoDoubleEncoding(string value)
    {
        var bytes = new byte[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c <= '\u00FF')
            {
                bytes[i] = (byte)c;
            }
            else if (Windows1252.GetBytes(value, i, 1) is [var b] && b != (byte)'?')
            {
                bytes[i] = b;
            }
            else
            {
                return null;
            }
        }

        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : null;
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
