using System.Security.Cryptography;
using System.Text;

namespace KDirective.Storage;

/// <summary>
/// Table keys derived from data. Keys never hold upload text: they are validated ids or hashes, so they cannot
/// contain the characters Table Storage forbids (<c>/ \ # ?</c> and control characters), and a retried write
/// of the same data lands on the same row.
/// </summary>
public static class TableKeys
{
    /// <summary>A stable 32-hex-digit key for any combination of values.</summary>
    public static string Hash(params string?[] parts)
    {
        var joined = string.Join('\u001F', parts.Select(p => p ?? "\u0000"));
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(joined));
        return Convert.ToHexStringLower(digest.AsSpan(0, 16));
    }

    public static bool IsSafe(string key) =>
        key.Length is > 0 and <= 512 && !key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
}
