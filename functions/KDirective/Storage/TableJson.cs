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
