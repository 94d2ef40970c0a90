namespace KDirective.Inventory;

/// <summary>
/// Receives banned-product rows while a file is read, so a caller can store or print them as they come instead of
/// holding them all. The reader reads a file once, so it never takes back a row it gave.
/// </summary>
public interface IMatchSink
{
    ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken);
}
