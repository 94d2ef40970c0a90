using System.Text.Json;
using KDirective.Inventory;

namespace KDirective.Storage;

/// <summary>
/// JSON kept in a table property, which holds at most 32K characters. Findings that would not fit lose their
/// version lists first, then the products with the fewest endpoints; the caller records that it was cut.
/// </summary>
public static class TableJson
{
    public const int MaxChars = 30_000;

    /// <summary>
    /// The most bytes a packed row (findings, host changes) stores: UTF-8 JSON in a binary property, which holds 64 KiB.
    /// As a string property the same rows cost far more to send: measured against Azurite, one write of a
    /// 30,000-character string allocated 335 KiB, most of it on the large-object heap (the SDK sizes its buffer for
    /// the escaped text three bytes a character), against 171 KiB for a 56 KiB binary row, none of it there (its
    /// request is base64, about 76,000 characters, under the 85,000-byte threshold). A binary row holds about twice
    /// the findings of a string row, so a submission takes half the rows and writes.
    /// </summary>
    public const int MaxBytes = 56 * 1024;

    /// <summary>
    /// A packed row's items: from its UTF-8 property, else from the string property that rows written before
    /// 2026-12-06 used (at most <see cref="MaxChars"/> characters), else none.
    /// </summary>
    public static List<T> Items<T>(byte[]? utf8, string? json, JsonSerializerOptions options) =>
        (utf8 is not null ? JsonSerializer.Deserialize<List<T>>(utf8, options)
            : json is not null ? JsonSerializer.Deserialize<List<T>>(json, options)
            : null) ?? [];

    public static (string Json, bool Truncated) Findings(IReadOnlyList<ProductFinding> findings)
    {
        var full = Serialize(findings.Select(f => new InventoryJson.FindingDto(f.Product, f.Endpoints, f.Versions, f.Obfuscated)));
        if (full.Length <= MaxChars)
        {
            return (full, false);
        }

        var bare = findings.OrderByDescending(f => f.Endpoints).Select(f => new InventoryJson.FindingDto(f.Product, f.Endpoints, [])).ToList();
        var json = Serialize(bare);
        while (json.Length > MaxChars && bare.Count > 0)
        {
            bare.RemoveRange(bare.Count - Math.Max(1, bare.Count / 10), Math.Max(1, bare.Count / 10));
            json = Serialize(bare);
        }

        return (json, true);
    }

    /// <summary>
    /// The first names that fit in one property, as a JSON array: a hostname may be 512 characters, so 100 of them
    /// could pass the limit and fail the whole write.
    /// </summary>
    public static string Names(IEnumerable<string> names)
    {
        var kept = new List<string>();
        var length = 2;
        foreach (var name in names)
        {
            var quoted = Serialize(name).Length;
            if (length + quoted + 1 > MaxChars)
            {
                break;
            }

            kept.Add(name);
            length += quoted + 1;
        }

        return Serialize(kept);
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, InventoryJson.CompactOptions);
}
