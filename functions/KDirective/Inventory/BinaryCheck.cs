using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace KDirective.Inventory;

/// <summary>
/// Finds NUL characters, the mark of binary data, in any encoding we read: a zero byte in UTF-8 or Windows-1252, a
/// zero code unit in UTF-16. Lines are counted as it goes, so the rejection can name one.
/// </summary>
internal sealed class BinaryCheck(TextEncodingKind encoding)
{
    private readonly bool _utf16 = !encoding.IsByteOriented();
    private readonly bool _bigEndian = encoding == TextEncodingKind.Utf16BE;
    private long _lines;
    private int _odd = -1; // a UTF-16 byte whose partner comes with the next block

    // What ends a line: a line feed (LF and CRLF files), unless the first block that ends a line has carriage returns
    // and no line feed (old Mac files, which the CSV reader also reads line by line). Decided once, so the count is one pass.
    private byte _lineEnd = (byte)'\n';
    private bool _lineEndKnown;

    /// <summary>Checks the next block of the input (after any byte order mark).</summary>
    public void Check(ReadOnlySpan<byte> bytes)
    {
        if (!_utf16)
        {
            if (!_lineEndKnown)
            {
                DecideLineEnd(bytes.Contains((byte)'\n'), bytes.Contains((byte)'\r'));
            }

            var nul = bytes.IndexOf((byte)0);
            if (nul >= 0)
            {
                throw Rejected(_lines + bytes[..nul].Count(_lineEnd) + 1, "bytes");
            }

            _lines += bytes.Count(_lineEnd);
            return;
        }

        if (_odd >= 0 && bytes.Length > 0)
        {
            Span<byte> pair = [(byte)_odd, bytes[0]];
            CheckUnits(pair);
            bytes = bytes[1..];
            _odd = -1;
        }

        var even = bytes.Length & ~1;
        CheckUnits(bytes[..even]);
        if (even < bytes.Length)
        {
            _odd = bytes[^1];
        }
    }

    private void DecideLineEnd(bool lineFeed, bool carriageReturn)
    {
        if (lineFeed || carriageReturn)
        {
            _lineEnd = lineFeed ? (byte)'\n' : (byte)'\r';
            _lineEndKnown = true;
        }
    }

    private void CheckUnits(ReadOnlySpan<byte> bytes)
    {
        var units = MemoryMarshal.Cast<byte, ushort>(bytes);
        ushort Unit(char c) => BitConverter.IsLittleEndian != _bigEndian ? c : BinaryPrimitives.ReverseEndianness(c);
        if (!_lineEndKnown)
        {
            DecideLineEnd(units.Contains(Unit('\n')), units.Contains(Unit('\r')));
        }

        var newline = Unit((char)_lineEnd);
        var nul = units.IndexOf((ushort)0);
        if (nul >= 0)
        {
            throw Rejected(_lines + units[..nul].Count(newline) + 1, "characters");
        }

        _lines += units.Count(newline);
    }

    private static InventoryRejectedException Rejected(long line, string unit) =>
        new($"line {line} contains NUL {unit}: this is binary data, not a CSV export");
}
