namespace KDirective.Inventory;

/// <summary>A row rejected on its own; the rest of the file is still used.</summary>
public sealed record Rejection(long Line, string Reason);

/// <summary>One banned-product row, as the uploader wrote it, with the catalog's name for the product.</summary>
public sealed record InventoryMatch(long Line, string? Hostname, string? Publisher, string Name, string? Version, string Product, long Endpoints);

/// <summary>A banned product found in a file: distinct endpoints (or the sum of counts) and the versions seen.</summary>
public sealed record ProductFinding(string Product, long Endpoints, IReadOnlyList<string> Versions);

/// <summary>What reading one inventory file produced. Accepted files may still have rejected rows.</summary>
public sealed record InventoryReport(
    string File,
    string? Format,
    string? Encoding,
    string? Delimiter,
    bool Accepted,
    string? Error,
    long RowsRead,
    long RowsRejected,
    IReadOnlyList<Rejection> Rejections,
    long? EndpointsScanned,
    long? EndpointsAffected,
    IReadOnlyList<ProductFinding> Findings,
    IReadOnlyList<InventoryMatch> Matches)
{
    /// <summary>How many rejections are kept in a report; the count in <see cref="RowsRejected"/> is always complete.</summary>
    public const int MaxRejectionsListed = 1000;
}
