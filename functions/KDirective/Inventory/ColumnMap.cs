namespace KDirective.Inventory;

/// <summary>
/// Where each role of a format sits in one file's header; -1 for an optional column that is absent.
/// <see cref="OtherNames"/> are further product-name columns the format allows (MECM's DisplayName0,
/// ARPDisplayName0, ProductName0): every one is checked, so a name is never missed for sitting in the second.
/// </summary>
public sealed record ColumnMap(InventoryFormat Format, int Host, int Publisher, int Name, int Version, int Count, int FieldCount)
{
    public IReadOnlyList<int> OtherNames { get; init; } = [];

    /// <summary>Publisher headers read in formats that have no publisher column of their own.</summary>
    internal static readonly string[] AnyPublisher =
    [
        "publisher", "publishername", "vendor", "vendorname", "manufacturer", "manufacturername", "company", "companyname",
        "softwarepublisher", "softwarevendor", "softwaremanufacturer", "applicationpublisher", "apppublisher",
    ];

    internal static ColumnMap? TryCreate(InventoryFormat format, string[] normalizedHeaders)
    {
        int Find(string[] names) => names.Select(n => Array.IndexOf(normalizedHeaders, n)).FirstOrDefault(i => i >= 0, -1);

        var host = Find(format.Host);
        // A format without a publisher column (Tanium's) still reads one that a file has: without it, a name that is
        // only a Kaspersky product with its publisher ("Secure Connection" of Kaspersky Lab) would go unseen.
        var publisher = Find(format.Publisher.Length == 0 ? AnyPublisher : format.Publisher);
        var name = Find(format.Name);
        var version = Find(format.Version);
        var count = Find(format.Count);
        var required = new List<bool>
        {
            name >= 0,
            version >= 0,
            format.Host.Length == 0 || host >= 0,
            format.Publisher.Length == 0 || publisher >= 0,
            !format.CountRequired || count >= 0,
        };

        return required.All(ok => ok)
            ? new ColumnMap(format, host, publisher, name, version, count, normalizedHeaders.Length)
            {
                OtherNames = format.Name.Select(n => Array.IndexOf(normalizedHeaders, n)).Where(i => i >= 0 && i != name).ToArray(),
            }
            : null;
    }

    /// <summary>
    /// Two columns with the same header for one role (two DisplayName0 columns): which one holds the value is
    /// anyone's guess, so the file is refused. Returns the two 0-based column indexes, or null.
    /// </summary>
    internal (int First, int Second)? FindDuplicate(string[] normalizedHeaders)
    {
        foreach (var header in Format.Host.Concat(Format.Publisher).Concat(Format.Name).Concat(Format.Version).Concat(Format.Count))
        {
            var first = Array.IndexOf(normalizedHeaders, header);
            var second = first < 0 ? -1 : Array.IndexOf(normalizedHeaders, header, first + 1);
            if (second >= 0)
            {
                return (first, second);
            }
        }

        return null;
    }
}
