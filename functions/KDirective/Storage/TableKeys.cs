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
    /// <summary>What <see cref="Hash"/> puts between the parts, and writes for a null part.</summary>
    internal const char PartSeparator = '\u001F', NullPart = '\u0000';

    /// <summary>A stable 32-hex-digit key for any combination of values.</summary>
    public static string Hash(params string?[] parts)
    {
        var joined = string.Join(PartSeparator, parts.Select(p => p ?? NullPart.ToString()));
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(joined));
        return Convert.ToHexStringLower(digest.AsSpan(0, 16));
    }

    public static bool IsSafe(string key) =>
        key.Length is > 0 and <= 512 && !key.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
}
