using System.Text.Unicode;

namespace KDirective.Inventory;

/// <summary>
/// Decides a file's encoding from its first bytes, and turns away what is plainly not a text export. For a file
/// without a byte order mark the answer is only the label's first guess: each record is then decoded on its own.
/// </summary>
internal static class EncodingSniffer
{
    public const int PrefixSize = 64 * 1024;

    public static TextEncodingKind Detect(ReadOnlySpan<byte> prefix, bool endOfInput)
    {
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            RejectBinary(prefix[3..]); // a byte order mark does not make binary data text
            return TextEncodingKind.Utf8Bom;
        }

        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]) || prefix.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            throw new InventoryRejectedException("line 1: the file is UTF-32, which no inventory tool exports; save it as UTF-8 or UTF-16");
        }

        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            new BinaryCheck(TextEncodingKind.Utf16LE).Check(prefix[2..]);
            return TextEncodingKind.Utf16LE;
        }

        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            new BinaryCheck(TextEncodingKind.Utf16BE).Check(prefix[2..]);
            return TextEncodingKind.Utf16BE;
        }

        RejectBinary(prefix);
        var complete = endOfInput ? prefix : prefix[..^IncompleteTail(prefix)];
        return Utf8.IsValid(complete) ? TextEncodingKind.Utf8 : TextEncodingKind.Windows1252;
    }

    /// <summary>Bytes at the end that start a UTF-8 sequence the next read will complete.</summary>
    public static int IncompleteTail(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // a continuation byte: keep looking for the lead byte
            }

            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? back : 0;
        }

        return 0;
    }

    private static void RejectBinary(ReadOnlySpan<byte> prefix)
    {
        if (prefix.StartsWith("PK\x03\x04"u8))
        {
            throw new InventoryRejectedException("line 1: the file is a ZIP archive or an Excel workbook (.xlsx), not CSV; export the sheet as CSV");
        }

        if (prefix.StartsWith("%PDF"u8))
        {
            throw new InventoryRejectedException("line 1: the file is a PDF document, not CSV");
        }

        new BinaryCheck(TextEncodingKind.Utf8).Check(prefix);
    }
}
