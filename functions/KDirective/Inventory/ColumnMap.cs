namespace KDirective.Inventory;

/// <summary>Where each role of a format sits in one file's header; -1 for an optional column that is absent.</summary>
public sealed record ColumnMap(InventoryFormat Format, int Host, int Publisher, int Name, int Version, int Count, int FieldCount)
{
    internal static ColumnMap? TryCreate(InventoryFormat format, string[] normalizedHeaders)
    {
        int Find(string[] names) => names.Select(n => Array.IndexOf(normalizedHeaders, n)).FirstOrDefault(i => i >= 0, -1);

        var host = Find(format.Host);
        var publisher = Find(format.Publisher);
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
            : null;
    }
}
