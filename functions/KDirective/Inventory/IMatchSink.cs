namespace KDirective.Inventory;

/// <summary>
/// Receives banned-product rows while a file is read, so a caller can store or print them as they come instead of
/// holding them all. The reader reads a file once, so it never takes back a row it gave. <see cref="ResetAsync"/> is
/// for the caller's own use (discarding what was stored for a file rejected whole).
/// </summary>
public interface IMatchSink
{
    ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken);

    ValueTask ResetAsync(CancellationToken cancellationToken);
}
