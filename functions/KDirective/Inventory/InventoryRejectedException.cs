namespace KDirective.Inventory;

/// <summary>The whole file cannot be used. The message names the reason and, where there is one, the line.</summary>
public sealed class InventoryRejectedException(string message) : Exception(message);
