namespace KDirective.Inventory;

/// <summary>A row rejected on its own; the rest of the file is still used.</summary>
public sealed record Rejection(long Line, string Reason);

/// <summary>
/// One banned-product row, as the uploader wrote it, with the catalog's name for the product. <see cref="Obfuscated"/>:
/// the row matched only once look-alike characters were undone.
/// </summary>
public sealed record InventoryMatch(long Line, string? Hostname, string? Publisher, string Name, string? Version, string Product, long Endpoints, bool Obfuscated = false);

/// <summary>
/// A banned product found in a file: distinct endpoints (or the sum of counts) and the versions seen.
/// <see cref="Obfuscated"/>: at least one of its rows matched only once look-alike characters were undone.
/// </summary>
public sealed record ProductFinding(string Product, long Endpoints, IReadOnlyList<string> Versions, bool Obfuscated = false);

/// <summary>
/// A line of a rejected record that the catalog would match: the row could not be used, but it must not go unseen.
/// <see cref="Text"/> is the line as written, shortened and with control characters replaced.
/// </summary>
public sealed record PossibleFinding(long Line, string Product, string Text);

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

    /// <summary>Lines of rejected records that look like a banned product (first <see cref="MaxRejectionsListed"/>).</summary>
    public IReadOnlyList<PossibleFinding> PossibleFindings { get; init; } = [];

    /// <summary>How many lines of rejected records look like a banned product; complete even when the list is not.</summary>
    public long PossibleFindingCount { get; init; }
}
