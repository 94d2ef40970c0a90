using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace KDirective.Inventory;

/// <summary>
/// A 64-bit key for a hostname, equal for names that differ only in case. Counting distinct hosts by key keeps
/// the summary's memory to a few bytes per host; two names colliding needs about 2^32 distinct hosts.
/// </summary>
internal static class HostKey
{
    private const int StackLimit = 256;

    public static ulong Of(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= StackLimit && Ascii.IsValid(utf8))
        {
            Span<byte> upper = stackalloc byte[utf8.Length];
            Ascii.ToUpper(utf8, upper, out _);
            return XxHash3.HashToUInt64(upper);
        }

        var chars = ArrayPool<char>.Shared.Rent(utf8.Length * 2);
        try
        {
            var written = Encoding.UTF8.GetChars(utf8, chars);
            var upper = chars.AsSpan(utf8.Length, written);
            chars.AsSpan(0, written).ToUpperInvariant(upper);
            return XxHash3.HashToUInt64(MemoryMarshal.AsBytes((ReadOnlySpan<char>)upper), seed: 1);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
