namespace KDirective.Storage;

/// <summary>
/// A JSON array being packed into one binary table property: its items so far, in UTF-8, in a buffer reused for each
/// row. A full row is at most <c>maxBytes</c> - 1 bytes: <see cref="TableJson.MaxBytes"/> unless the rows' reader
/// needs them smaller (host diffs, <see cref="Ingestion.HostDiffStore.RowBytes"/>).
/// </summary>
internal sealed class JsonRow
{
    private readonly byte[] _json;
    private int _length = 1;

    public JsonRow(int maxBytes = TableJson.MaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, TableJson.MaxBytes);
        _json = new byte[maxBytes];
        _json[0] = (byte)'[';
    }

    /// <summary>The items in the row so far.</summary>
    public int Count { get; private set; }

    public bool IsEmpty => Count == 0;

    /// <summary>The largest item an empty row takes (<see cref="Fits"/> holds for it).</summary>
    public int MaxItemBytes => _json.Length - 3;

    /// <summary>Whether an item of this many bytes still fits, with its separator and the closing bracket.</summary>
    public bool Fits(int bytes) => _length + 1 + bytes + 1 < _json.Length;

    /// <summary>Adds an item, which the caller has checked <see cref="Fits"/> unless the row is empty.</summary>
    public void Add(ReadOnlySpan<byte> item)
    {
        if (Count > 0)
        {
            _json[_length++] = (byte)',';
        }

        // An item is at most a few thousand bytes (each value of this app is under 512 characters): one always fits an empty row.
        item.CopyTo(_json.AsSpan(_length));
        _length += item.Length;
        Count++;
    }

    /// <summary>The row's JSON in UTF-8, closed: a copy, since the buffer is reused for the next row.</summary>
    public byte[] ToUtf8()
    {
        _json[_length] = (byte)']';
        return _json.AsSpan(0, _length + 1).ToArray();
    }

    public void Clear() => (_length, Count) = (1, 0);
}
