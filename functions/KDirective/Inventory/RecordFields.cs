using System.Buffers;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace KDirective.Inventory;

/// <summary>
/// The fields of the current record as UTF-8, whatever the record's own encoding: a record that is valid UTF-8 is
/// used as it is (no copy); in one that is not, each field that is not valid UTF-8 is decoded as Windows-1252 on its
/// own, so one stray byte (in a hostname, say) neither garbles the valid UTF-8 names beside it nor makes the file be
/// read again.
/// </summary>
internal sealed class RecordFields
{
    // Tab separates words in some exports, and CR/LF belong to a quoted value that spans lines (RFC 4180).
    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
         0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F]);

    private readonly Dictionary<int, byte[]> _transcoded = [];
    private CsvReader _record = null!;

    /// <summary>Whether the current record is not valid UTF-8, so that its invalid fields are decoded as Windows-1252.</summary>
    public bool IsWindows1252 { get; private set; }

    /// <summary>Whether the current record is valid UTF-8 with characters beyond ASCII.</summary>
    public bool IsUtf8NonAscii { get; private set; }

    /// <summary>Whether the record's raw bytes are all printable ASCII (0x20-0x7E): no tab, control or other byte.</summary>
    public bool IsPrintableAscii { get; private set; }

    /// <summary>Whether the record's raw bytes contain a control byte other than tab (checked once per record).</summary>
    public bool MayHaveControls { get; private set; }

    /// <param name="record">The reader positioned on the record.</param>
    /// <param name="raw">The record's bytes as they are in the input.</param>
    /// <param name="byteOriented">False for UTF-16 input, which the reader has already turned into valid UTF-8.</param>
    public void Load(CsvReader record, ReadOnlySpan<byte> raw, bool byteOriented)
    {
        _record = record;
        if (_transcoded.Count > 0)
        {
            _transcoded.Clear();
        }

        // One pass settles the common row (printable ASCII); tabs, controls and other bytes take a closer look.
        IsPrintableAscii = !raw.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E);
        if (IsPrintableAscii)
        {
            IsWindows1252 = IsUtf8NonAscii = MayHaveControls = false;
            return;
        }

        var ascii = Ascii.IsValid(raw);
        IsWindows1252 = byteOriented && !ascii && !Utf8.IsValid(raw);
        IsUtf8NonAscii = !ascii && !IsWindows1252;
        MayHaveControls = !ascii || raw.ContainsAny(ControlBytes);
    }

    public int FieldCount => _record.FieldCount;

    /// <summary>Field <paramref name="index"/> as UTF-8, trimmed of spaces and tabs.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            var span = _record.GetSpan(index);
            if (IsWindows1252 && !Utf8.IsValid(span))
            {
                if (!_transcoded.TryGetValue(index, out var utf8))
                {
                    utf8 = Encoding.UTF8.GetBytes(TextEncodingKindExtensions.Windows1252.GetString(span));
                    _transcoded[index] = utf8;
                }

                span = utf8;
            }

            return TrimSpacesAndTabs(span);
        }
    }

    /// <summary>Field <paramref name="index"/> as it is in the input, trimmed: for a field decoded as Windows-1252, its own bytes.</summary>
    public ReadOnlySpan<byte> Raw(int index) => TrimSpacesAndTabs(_record.GetSpan(index));

    /// <summary>Per field, so written out: the generic span trim starts unoptimized in every process.</summary>
    private static ReadOnlySpan<byte> TrimSpacesAndTabs(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length && value[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        var end = value.Length;
        while (end > start && value[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return value[start..end];
    }

    /// <summary>A control character in a UTF-8 value: C0 (except tab and line breaks), DEL or C1. Null when there is none.</summary>
    public static Rune? FindControl(ReadOnlySpan<byte> utf8)
    {
        var at = utf8.IndexOfAny(ControlBytes);
        if (at >= 0)
        {
            return new Rune(utf8[at]);
        }

        for (var c2 = utf8.IndexOf((byte)0xC2); c2 >= 0 && c2 + 1 < utf8.Length; c2 = NextC2(utf8, c2))
        {
            if (utf8[c2 + 1] is >= 0x80 and <= 0x9F)
            {
                return new Rune(utf8[c2 + 1]);
            }
        }

        return null;
    }

    private static int NextC2(ReadOnlySpan<byte> utf8, int at)
    {
        var next = utf8[(at + 1)..].IndexOf((byte)0xC2);
        return next < 0 ? -1 : at + 1 + next;
    }

    /// <summary>Decodes raw record bytes for a message: UTF-8 when valid, else Windows-1252.</summary>
    public static string Decode(ReadOnlySpan<byte> raw) =>
        Utf8.IsValid(raw) ? Encoding.UTF8.GetString(raw) : TextEncodingKindExtensions.Windows1252.GetString(raw);
}
