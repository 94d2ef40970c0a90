using System.Buffers;
using System.Text;
using KDirective.Detection;

namespace KDirective.Inventory;

/// <summary>
/// Remembers the product each (publisher, name) pair matched within one file. Exports repeat the same few banned
/// products on every affected host, so after the first row a match costs one lookup and no allocation.
/// Bounded, so a hostile file of distinct names cannot grow it without limit.
/// </summary>
internal sealed class MatchCache(ProductMatcher matcher)
{
    private const int MaxEntries = 4096;
    private const int StackLimit = 512;
    private readonly Dictionary<string, CatalogMatch?> _products = new(StringComparer.Ordinal);

    public CatalogMatch? Match(ReadOnlySpan<byte> publisher, ReadOnlySpan<byte> name)
    {
        if (!matcher.MayMatch(publisher, name))
        {
            return null;
        }

        var length = publisher.Length + 1 + name.Length; // UTF-8 never has fewer bytes than UTF-16 has chars
        char[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc char[StackLimit] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetChars(publisher, buffer);
            buffer[written++] = '\u001F';
            written += Encoding.UTF8.GetChars(name, buffer[written..]);
            var key = buffer[..written];

            var lookup = _products.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(key, out var product))
            {
                return product;
            }

            product = matcher.Find(publisher.IsEmpty ? null : Encoding.UTF8.GetString(publisher), Encoding.UTF8.GetString(name));
            if (_products.Count < MaxEntries)
            {
                lookup[key] = product;
            }

            return product;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
