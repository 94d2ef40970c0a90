namespace KDirective.Inventory;

/// <summary>
/// Collects the lines of a record whose quoted field runs past the end of its first line. The reader reads line by
/// line, so a quote that is never closed cannot swallow the rows after it: the lines are joined here only until the
/// quote closes, and a join that goes on too long, or does not give one good record, is read again line by line.
/// </summary>
internal sealed class QuoteJoiner
{
    /// <summary>A value with line breaks in an inventory is a few lines long; more than this is a broken quote.</summary>
    public const int MaxLines = 50;

    private readonly List<(long Line, byte[] Bytes)> _lines = [];
    private int _bytes;
    private bool _open;

    public bool IsOpen => _lines.Count > 0;

    /// <summary>Whether the quote opened on the first line has been closed by the last line added.</summary>
    public bool IsClosed => IsOpen && !_open;

    public IReadOnlyList<(long Line, byte[] Bytes)> Lines => _lines;

    public void Start(long line, ReadOnlySpan<byte> raw)
    {
        _lines.Add((line, raw.ToArray()));
        _bytes = raw.Length;
        _open = Quotes(raw) % 2 == 1;
    }

    /// <summary>Adds the next line; false when the join has grown too long and must be given up first.</summary>
    public bool TryAdd(long line, ReadOnlySpan<byte> raw)
    {
        if (_lines.Count >= MaxLines || _bytes + raw.Length > InventoryReader.MaxRecordBytes)
        {
            return false;
        }

        _lines.Add((line, raw.ToArray()));
        _bytes += raw.Length + 1;
        _open ^= Quotes(raw) % 2 == 1;
        return true;
    }

    /// <summary>The lines joined with line feeds, as one record.</summary>
    public byte[] Joined()
    {
        var joined = new byte[_bytes];
        var at = 0;
        foreach (var (_, bytes) in _lines)
        {
            if (at > 0)
            {
                joined[at++] = (byte)'\n';
            }

            bytes.CopyTo(joined, at);
            at += bytes.Length;
        }

        return joined.AsSpan(0, at).ToArray();
    }

    public void Clear()
    {
        _lines.Clear();
        _bytes = 0;
        _open = false;
    }

    private static int Quotes(ReadOnlySpan<byte> raw) => raw.Count((byte)'"');
}
