namespace KDirective.Inventory;

/// <summary>
/// Receives banned-product rows while a file is read, so a caller can store them as they come instead of holding
/// them all. <see cref="ResetAsync"/> is called when the reader starts the file over (it turned out not to be
/// UTF-8): whatever the sink kept from the first pass must go.
/// </summary>
public interface IMatchSink
{
    ValueTask AddAsync(InventoryMatch match, CancellationToken cancellationToken);

    ValueTask ResetAsync(CancellationToken cancellationToken);
}
