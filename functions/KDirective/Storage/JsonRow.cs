using System.Text;

namespace KDirective.Storage;

/// <summary>
/// A JSON array being packed into one table property: its items so far, in UTF-8, in a buffer reused for each row.
/// The limit is counted in bytes, never fewer than the characters of the text the row stores, so a full row always
/// fits in the property: at most <see cref="TableJson.MaxChars"/> - 1, as every packed row of this app.
/// </summary>
internal sealed class JsonRow
{
    private readonly byte[] _json = new byte[TableJson.MaxChars];
    private int _length = 1;

    public JsonRow() => _json[0] = (byte)'[';

    /// <summary>The items in the row so far.</summary>
    public int Count { get; private set; }

    public bool IsEmpty => Count == 0;

    /// <summary>Whether an item of this many bytes still fits, with its separator and the closing bracket.</summary>
    public bool Fits(int bytes) => _length + 1 + bytes + 1 < TableJson.MaxChars;

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

    /// <summary>The row's JSON: the items so far, closed.</summary>
    public string ToJson()
    {
        _json[_length] = (byte)']';
        return Encoding.UTF8.GetString(_json, 0, _length + 1);
    }

    public void Clear() => (_length, Count) = (1, 0);
}
